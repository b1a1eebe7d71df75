internal import Glibc

/// One mounted filesystem as `/proc/self/mountinfo` lists it.
package struct MountEntry: Sendable, Equatable {
    /// The mount source (`/dev/sda1`), unescaped.
    package var device: String
    /// The filesystem type (`ext4`).
    package var fsType: String
    /// Where it is mounted, unescaped.
    package var mountPoint: String
    /// The directory of the filesystem that is mounted there: `/` for a whole filesystem, a subdirectory for a
    /// bind mount (or a btrfs subvolume).
    package var root: String
    /// `major:minor` of the filesystem's device: equal for every mount of one filesystem.
    package var deviceNumber: String
    /// The mount options then the superblock options not already named, comma-separated, as `/proc/mounts`
    /// shows them (`rw,relatime,discard`).
    package var options: String

    /// Creates an entry.
    package init(
        device: String, fsType: String, mountPoint: String, root: String = "/", deviceNumber: String = "",
        options: String = ""
    ) {
        self.device = device
        self.fsType = fsType
        self.mountPoint = mountPoint
        self.root = root
        self.deviceNumber = deviceNumber
        self.options = options
    }

    /// Whether the mount is read-only (`ro` among its options).
    package var isReadOnly: Bool {
        options.split(separator: ",").contains("ro")
    }

    /// `mount` followed by the options of `superblock` that `mount` lacks (`rw`/`ro` only once).
    package static func mergedOptions(mount: String, superblock: String) -> String {
        var options = mount.split(separator: ",").map(String.init)
        for option in superblock.split(separator: ",") where option != "rw" && option != "ro" {
            if !options.contains(String(option)) { options.append(String(option)) }
        }
        return options.joined(separator: ",")
    }
}

/// The size and use of one mounted physical filesystem.
package struct MountUsage: Sendable, Equatable {
    /// Where it is mounted and from what.
    package var mount: MountEntry
    /// Total bytes (`f_blocks × f_frsize`).
    package var size: UInt64
    /// Used bytes (`(f_blocks − f_bfree) × f_frsize`).
    package var used: UInt64
    /// Bytes available to unprivileged users (`f_bavail × f_frsize`).
    package var available: UInt64
    /// Free bytes, the root-reserved blocks included (`f_bfree × f_frsize`).
    package var free: UInt64
    /// Inodes in all, and free ones (`f_files`, `f_ffree`).
    package var files: UInt64, filesFree: UInt64

    /// Creates a usage record.
    package init(
        mount: MountEntry, size: UInt64, used: UInt64, available: UInt64, free: UInt64? = nil, files: UInt64 = 0,
        filesFree: UInt64 = 0
    ) {
        self.mount = mount
        self.size = size
        self.used = used
        self.available = available
        self.free = free ?? (size >= used ? size - used : 0)
        self.files = files
        self.filesFree = filesFree
    }

    /// `used / (used + available) × 100`, rounded to 0.1, as psutil and df compute it (the space
    /// reserved for root does not count); 0 for an empty filesystem.
    package var percent: Double {
        let usable = used &+ available
        guard usable > 0 else { return 0 }
        return (Double(used) * 1000 / Double(usable)).rounded() / 10
    }
}

/// Lists the mounted physical filesystems (not proc, sysfs, tmpfs, cgroup, overlay…) with their usage.
///
/// A type is physical when `/proc/filesystems` lists it without `nodev` (plus `zfs`), as psutil's
/// `disk_partitions(all=False)` decides. A mount point mounted over keeps only its top mount.
package struct MountUsageReader {
    private var file = ProcFileReader(capacity: 16384)
    private var physicalTypes: Set<String> = []
    private var virtualTypes: Set<String> = []
    private let extraTypes: Set<String>

    /// Creates a reader.
    ///
    /// - Parameter extraTypes: filesystem types to list even though they are `nodev` (`[fs] allow=`).
    package init(extraTypes: [String] = []) {
        self.extraTypes = Set(extraTypes)
        loadFilesystemTypes()
    }

    /// The physical mounts and their usage, in mount order; a mount whose `statvfs` fails is left out.
    package mutating func read() -> [MountUsage] {
        let mounts = file.read("/proc/self/mountinfo") { Self.parseMountInfo($0) } ?? []
        let unknown = mounts.filter { !physicalTypes.contains($0.fsType) && !virtualTypes.contains($0.fsType) }
        if !unknown.isEmpty {
            loadFilesystemTypes()  // a filesystem module may have been loaded since
            for mount in unknown where !physicalTypes.contains(mount.fsType) {
                virtualTypes.insert(mount.fsType)  // not a kernel type (fuse.sshfs): not physical
            }
        }
        var result: [MountUsage] = []
        for mount in Self.withoutDuplicates(Self.visible(mounts).filter { isPhysical($0) }) {
            if let usage = Self.usage(of: mount) { result.append(usage) }
        }
        return result
    }

    /// Whether `mount` is listed: a physical type (or an allowed one) with a device.
    package func isPhysical(_ mount: MountEntry) -> Bool {
        guard !mount.device.isEmpty, mount.device != "none" else { return false }
        return physicalTypes.contains(mount.fsType) || extraTypes.contains(mount.fsType)
    }

    /// The usage of `mount` from `statvfs`, or nil when it fails.
    package static func usage(of mount: MountEntry) -> MountUsage? {
        var stats = statvfs()
        guard statvfs(mount.mountPoint, &stats) == 0 else { return nil }
        let unit = UInt64(stats.f_frsize)
        let blocks = UInt64(stats.f_blocks)
        let free = UInt64(stats.f_bfree)
        return MountUsage(
            mount: mount, size: blocks &* unit, used: (blocks >= free ? blocks - free : 0) &* unit,
            available: UInt64(stats.f_bavail) &* unit, free: free &* unit, files: UInt64(stats.f_files),
            filesFree: UInt64(stats.f_ffree)
        )
    }

    /// One mount per filesystem: of the mounts of one device (`major:minor`), the one of its whole filesystem
    /// (root `/`) when there is one, else the first. Bind mounts and systemd's `PrivateTmp` copies of `/` are
    /// thus not listed twice; a filesystem mounted only through a subdirectory (a btrfs subvolume as `/`)
    /// still is, once.
    package static func withoutDuplicates(_ mounts: [MountEntry]) -> [MountEntry] {
        var chosen: [String: Int] = [:]
        for (index, mount) in mounts.enumerated() where !mount.deviceNumber.isEmpty {
            if let current = chosen[mount.deviceNumber] {
                if mounts[current].root != "/" && mount.root == "/" { chosen[mount.deviceNumber] = index }
            } else {
                chosen[mount.deviceNumber] = index
            }
        }
        return mounts.indices.filter { index in
            let number = mounts[index].deviceNumber
            return number.isEmpty || chosen[number] == index
        }.map { mounts[$0] }
    }

    /// The last mount of each mount point (the one a path lookup sees), in the order of those mounts.
    package static func visible(_ mounts: [MountEntry]) -> [MountEntry] {
        var last: [String: Int] = [:]
        for (index, mount) in mounts.enumerated() { last[mount.mountPoint] = index }
        return mounts.indices.filter { last[mounts[$0].mountPoint] == $0 }.map { mounts[$0] }
    }

    /// Parses `/proc/PID/mountinfo`: `id parent major:minor root mount-point options [optional…] -
    /// type source super-options` per line, with `\ooo` octal escapes in paths.
    package static func parseMountInfo(_ bytes: UnsafeBufferPointer<UInt8>) -> [MountEntry] {
        var result: [MountEntry] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var fields: [Range<Int>] = []
            var at = lineStart
            while at < lineEnd {
                while at < lineEnd, bytes[at] == UInt8(ascii: " ") { at += 1 }
                let start = at
                while at < lineEnd, bytes[at] != UInt8(ascii: " ") { at += 1 }
                if at > start { fields.append(start..<at) }
            }
            guard fields.count >= 10,
                let separator = fields[6...].firstIndex(where: {
                    $0.count == 1 && bytes[$0.lowerBound] == UInt8(ascii: "-")
                }),
                separator + 2 < fields.count
            else { continue }
            result.append(
                MountEntry(
                    device: unescape(bytes, fields[separator + 2]),
                    fsType: unescape(bytes, fields[separator + 1]),
                    mountPoint: unescape(bytes, fields[4]),
                    root: unescape(bytes, fields[3]),
                    deviceNumber: unescape(bytes, fields[2]),
                    options: MountEntry.mergedOptions(
                        mount: unescape(bytes, fields[5]),
                        superblock: separator + 3 < fields.count ? unescape(bytes, fields[separator + 3]) : "")
                )
            )
        }
        return result
    }

    /// The text of `range`, with the kernel's `\ooo` octal escapes (space, tab, newline, backslash)
    /// turned back into bytes.
    package static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard slice.contains(UInt8(ascii: "\\")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var index = 0
        func isOctal(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") }
        while index < slice.count {
            if slice[index] == UInt8(ascii: "\\"), index + 3 < slice.count, isOctal(slice[index + 1]),
                isOctal(slice[index + 2]), isOctal(slice[index + 3])
            {
                let value =
                    (Int(slice[index + 1] - 48) << 6) | (Int(slice[index + 2] - 48) << 3) | Int(slice[index + 3] - 48)
                out.append(UInt8(truncatingIfNeeded: value))
                index += 4
            } else {
                out.append(slice[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func loadFilesystemTypes() {
        var physical: Set<String> = ["zfs"]
        var virtual: Set<String> = []
        _ = file.read("/proc/filesystems") { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
                let name = String(decoding: UnsafeBufferPointer(rebasing: line[(tab + 1)...]), as: UTF8.self)
                if tab == 0 { physical.insert(name) } else { virtual.insert(name) }
            }
        }
        physicalTypes = physical
        virtualTypes = virtual
    }
}
