import Foundation
import GlancedSystem
import Testing

@Suite struct MountUsageTests {
    @Test func parsesMountinfoWithOptionalFieldsAndEscapes() {
        let text = """
            27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
            22 27 0:21 / /proc rw,relatime - proc proc rw
            40 27 8:1 / /mnt/my\\040disk rw master:2 shared:3 - vfat /dev/sdb\\0401 rw
            41 27 8:2 / /mnt/back\\134slash rw - xfs /dev/sdc rw

            """
        let mounts = Array(text.utf8).withUnsafeBufferPointer { MountUsageReader.parseMountInfo($0) }
        #expect(
            mounts == [
                MountEntry(
                    device: "/dev/vda", fsType: "ext4", mountPoint: "/", deviceNumber: "254:0",
                    options: "rw,relatime,discard"),
                MountEntry(
                    device: "proc", fsType: "proc", mountPoint: "/proc", deviceNumber: "0:21", options: "rw,relatime"),
                MountEntry(
                    device: "/dev/sdb 1", fsType: "vfat", mountPoint: "/mnt/my disk", deviceNumber: "8:1", options: "rw"
                ),
                MountEntry(
                    device: "/dev/sdc", fsType: "xfs", mountPoint: "/mnt/back\\slash", deviceNumber: "8:2",
                    options: "rw"),
            ])
    }

    /// A bind mount and systemd's `PrivateTmp` copy of `/` (a subdirectory of the root filesystem mounted on
    /// `/tmp`) are the same filesystem as `/`: listed once, as `/`. A filesystem seen only through a
    /// subdirectory (a btrfs subvolume as `/`) is still listed.
    @Test func bindMountsAndPrivateTmpCopiesAreNotListedTwice() {
        let text = """
            27 1 254:1 /tmp/systemd-private-0f3c-glanced.service-Ab12/tmp /tmp rw,nosuid shared:2 - ext4 /dev/vda1 rw
            28 1 254:1 / / ro,relatime shared:1 - ext4 /dev/vda1 rw
            29 28 254:1 /srv/www /var/www rw,relatime - ext4 /dev/vda1 rw
            30 28 0:45 /@home /home rw,relatime - btrfs /dev/vdb rw,subvol=/@home
            31 28 8:17 / /data rw - xfs /dev/sdb1 rw

            """
        let mounts = Array(text.utf8).withUnsafeBufferPointer { MountUsageReader.parseMountInfo($0) }
        let listed = MountUsageReader.withoutDuplicates(mounts)
        #expect(listed.map(\.mountPoint) == ["/", "/home", "/data"])
        #expect(listed.map(\.root) == ["/", "/@home", "/"])
        #expect(listed[0].isReadOnly && !listed[2].isReadOnly)
    }

    @Test func aMountPointMountedOverKeepsItsTopMount() {
        let mounts = [
            MountEntry(device: "/dev/a", fsType: "ext4", mountPoint: "/"),
            MountEntry(device: "/dev/b", fsType: "ext4", mountPoint: "/data"),
            MountEntry(device: "/dev/c", fsType: "xfs", mountPoint: "/srv"),
            MountEntry(device: "tmpfs", fsType: "tmpfs", mountPoint: "/data"),
        ]
        #expect(MountUsageReader.visible(mounts).map(\.device) == ["/dev/a", "/dev/c", "tmpfs"])
    }

    @Test func percentIsUsedOverUsedPlusAvailableRoundedToATenth() {
        let entry = MountEntry(device: "/dev/x", fsType: "ext4", mountPoint: "/x")
        #expect(MountUsage(mount: entry, size: 100, used: 1, available: 2).percent == 33.3)
        #expect(MountUsage(mount: entry, size: 100, used: 2, available: 1).percent == 66.7)
        #expect(MountUsage(mount: entry, size: 0, used: 0, available: 0).percent == 0)
    }

    @Test func rootMatchesStatvfsAndVirtualFilesystemsAreLeftOut() throws {
        var reader = MountUsageReader()
        // The root's usage is read just before and just after: builds and logs move it meanwhile.
        var before = statvfs()
        #expect(statvfs("/", &before) == 0)
        let usages = reader.read()
        let nodev = Set(
            try String(contentsOfFile: "/proc/filesystems", encoding: .utf8).split(separator: "\n")
                .filter { $0.hasPrefix("nodev") }.compactMap { $0.split(separator: "\t").last.map(String.init) })
        for usage in usages {
            #expect(!nodev.contains(usage.mount.fsType), "\(usage.mount.mountPoint) is \(usage.mount.fsType)")
        }
        #expect(Set(usages.map(\.mount.mountPoint)).count == usages.count, "one entry per mount point")
        guard let root = usages.first(where: { $0.mount.mountPoint == "/" }) else {
            // The root is virtual here (overlay in a container): nothing more to check.
            let rootType = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: " ") }.last { $0.count > 2 && $0[1] == "/" }?[2]
            #expect(rootType.map { nodev.contains(String($0)) } ?? true)
            return
        }
        var after = statvfs()
        #expect(statvfs("/", &after) == 0)
        #expect(root.size == UInt64(after.f_blocks) * UInt64(after.f_frsize))
        let used = [before, after].map { (UInt64($0.f_blocks) - UInt64($0.f_bfree)) * UInt64($0.f_frsize) }
        #expect(
            root.used + 64 << 20 >= used.min()! && root.used <= used.max()! + 64 << 20,
            "used \(root.used) vs \(used) around the read")
    }
}
