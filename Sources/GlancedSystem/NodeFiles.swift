internal import Glibc

/// One `key value` figure of a kernel file: a `/proc/meminfo` line, a `/proc/vmstat` field, a sysfs attribute.
package struct KernelFigure: Sendable, Equatable {
    /// The key as the kernel writes it (`MemTotal`, `Active(anon)`, `pgfault`).
    package var key: String
    /// The number as written.
    package var value: UInt64
    /// Whether the kernel wrote a `kB` unit after it.
    package var kibibytes: Bool

    /// Creates a figure.
    package init(key: String, value: UInt64, kibibytes: Bool = false) {
        self.key = key
        self.value = value
        self.kibibytes = kibibytes
    }
}

/// One line of `/proc/pressure/<resource>`: the total stall time of `some` and `full`, microseconds.
package struct PressureTotals: Sendable, Equatable {
    /// `cpu`, `memory`, `io` or `irq`.
    package var resource: String
    /// `some … total=`: time at least one task stalled; nil when the file has no `some` line.
    package var some: UInt64?
    /// `full … total=`: time all non-idle tasks stalled; nil when the file has no `full` line.
    package var full: UInt64?

    /// Creates the totals.
    package init(resource: String, some: UInt64?, full: UInt64?) {
        self.resource = resource
        self.some = some
        self.full = full
    }
}

/// One row of `/proc/interrupts`: its name, its counts per CPU, and what it serves.
package struct InterruptRow: Sendable, Equatable {
    /// The first column without its colon: a number, or `NMI`, `LOC`, …
    package var name: String
    /// The text after the counts: the controller and trigger for numbered rows, the description otherwise.
    package var info: String
    /// The devices using a numbered interrupt (the last word); `""` for the named rows.
    package var devices: String
    /// The count on each CPU.
    package var counts: [UInt64]

    /// Creates a row.
    package init(name: String, info: String, devices: String, counts: [UInt64]) {
        self.name = name
        self.info = info
        self.devices = devices
        self.counts = counts
    }
}

/// One CPU's line of `/proc/schedstat`: nanoseconds running, nanoseconds waiting, time slices.
package struct SchedulerCPU: Sendable, Equatable {
    /// The CPU number.
    package var cpu: Int
    /// Nanoseconds spent running tasks, and runnable tasks spent waiting; time slices run.
    package var runningNanoseconds: UInt64, waitingNanoseconds: UInt64, timeslices: UInt64

    /// Creates the line.
    package init(cpu: Int, runningNanoseconds: UInt64, waitingNanoseconds: UInt64, timeslices: UInt64) {
        self.cpu = cpu
        self.runningNanoseconds = runningNanoseconds
        self.waitingNanoseconds = waitingNanoseconds
        self.timeslices = timeslices
    }
}

/// One CPU's scaling frequencies from `/sys/devices/system/cpu/cpuN/cpufreq`, in kHz as written there.
package struct CPUFrequency: Sendable, Equatable {
    /// The CPU number.
    package var cpu: Int
    /// `scaling_cur_freq`, `scaling_min_freq`, `scaling_max_freq`, when present.
    package var current: UInt64?, minimum: UInt64?, maximum: UInt64?

    /// Creates the frequencies.
    package init(cpu: Int, current: UInt64?, minimum: UInt64?, maximum: UInt64?) {
        self.cpu = cpu
        self.current = current
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// One directory of `/sys/class/thermal/cooling_deviceN`.
package struct CoolingDevice: Sendable, Equatable {
    /// The number N, as a string (node_exporter's `name` label).
    package var name: String
    /// `type`: `Processor`, `intel_powerclamp`, …
    package var type: String
    /// `cur_state` and `max_state`.
    package var current: UInt64, maximum: UInt64

    /// Creates the device.
    package init(name: String, type: String, current: UInt64, maximum: UInt64) {
        self.name = name
        self.type = type
        self.current = current
        self.maximum = maximum
    }
}

/// One hwmon attribute file with a number in it, e.g. `temp1_input` of chip `platform_coretemp_0`.
package struct HwmonValue: Sendable, Equatable {
    /// The chip as node_exporter names it.
    package var chip: String
    /// The sensor: the file name up to the first `_` (`temp1`, `fan2`, `in0`).
    package var sensor: String
    /// The sensor's type (`temp`, `fan`, `in`, `curr`, `power`) and the attribute (`input`, `max`, `crit_alarm`).
    package var type: String, attribute: String
    /// The number as written (millidegrees, RPM, millivolts, milliamperes, microwatts).
    package var raw: Int64

    /// Creates the value.
    package init(chip: String, sensor: String, type: String, attribute: String, raw: Int64) {
        self.chip = chip
        self.sensor = sensor
        self.type = type
        self.attribute = attribute
        self.raw = raw
    }
}

/// What `/sys/class/hwmon` holds: the numbers, each chip's name, each sensor's label.
package struct HwmonReadings: Sendable, Equatable {
    /// Every numeric attribute, by chip then file name.
    package var values: [HwmonValue] = []
    /// Chip → the cleaned content of its `name` file.
    package var chipNames: [(chip: String, name: String)] = []
    /// `*_label` files: chip, sensor, label.
    package var labels: [(chip: String, sensor: String, label: String)] = []

    /// Creates empty readings.
    package init() {}

    package static func == (lhs: HwmonReadings, rhs: HwmonReadings) -> Bool {
        lhs.values == rhs.values && lhs.chipNames.elementsEqual(rhs.chipNames, by: { $0 == $1 })
            && lhs.labels.elementsEqual(rhs.labels, by: { $0 == $1 })
    }
}

/// One power supply of `/sys/class/power_supply`: its numeric attributes and its descriptive ones.
package struct PowerSupplyReading: Sendable, Equatable {
    /// The directory name (`BAT0`, `AC`).
    package var name: String
    /// Numeric attribute files (`capacity`, `online`, `energy_now`, …) as written.
    package var numbers: [KernelFigure]
    /// Text attribute files (`type`, `status`, `technology`, `manufacturer`, `model_name`, …), non-empty ones.
    package var texts: [(key: String, value: String)]

    /// Creates the reading.
    package init(name: String, numbers: [KernelFigure], texts: [(key: String, value: String)]) {
        self.name = name
        self.numbers = numbers
        self.texts = texts
    }

    package static func == (lhs: PowerSupplyReading, rhs: PowerSupplyReading) -> Bool {
        lhs.name == rhs.name && lhs.numbers == rhs.numbers && lhs.texts.elementsEqual(rhs.texts, by: { $0 == $1 })
    }
}

/// One mounted filesystem as node_exporter lists it, with its `statfs` figures.
package struct FilesystemReading: Sendable, Equatable {
    /// Mount source, type and mount point, unescaped.
    package var device: String, fsType: String, mountPoint: String
    /// Whether `ro` is among the mount or superblock options.
    package var readOnly: Bool
    /// Whether `statfs` failed (then the figures below are 0).
    package var deviceError: Bool
    /// Bytes: blocks × block size, free blocks × size, blocks available to unprivileged users × size.
    package var size: UInt64 = 0, free: UInt64 = 0, available: UInt64 = 0
    /// Inodes and free inodes.
    package var files: UInt64 = 0, filesFree: UInt64 = 0

    /// Creates a reading whose figures are 0.
    package init(device: String, fsType: String, mountPoint: String, readOnly: Bool, deviceError: Bool) {
        self.device = device
        self.fsType = fsType
        self.mountPoint = mountPoint
        self.readOnly = readOnly
        self.deviceError = deviceError
    }
}

/// glanced's own process, as the standard `process_*` metrics describe it.
package struct SelfProcessReading: Sendable, Equatable {
    /// User + system CPU time, clock ticks.
    package var cpuTicks: UInt64 = 0
    /// Resident and virtual memory, bytes.
    package var residentBytes: UInt64 = 0, virtualBytes: UInt64 = 0
    /// Start time, seconds since the epoch.
    package var startTime: Double = 0
    /// Open file descriptors, and the soft limit on them.
    package var openFDs: Int = 0, maxFDs: Double = 0
    /// The soft limit on the address space, bytes (`+Inf` when unlimited).
    package var maxVirtualBytes: Double = .infinity

    /// Creates a zero reading.
    package init() {}
}

/// Reads the kernel files that only a Prometheus exporter shows: the whole of `/proc/meminfo`, `/proc/vmstat`'s
/// fault and paging counters, file handles, pressure, entropy, ARP, conntrack, interrupts, scheduler statistics,
/// CPU frequencies, cooling devices, hwmon, power supplies, mounts with `statfs`, the host's names.
///
/// Every read goes through one reused buffer; each file is read once per call.
package final class NodeFilesReader {
    private var file = ProcFileReader(capacity: 32_768)
    private let pageTicks = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
    private let root: String

    /// Creates a reader; `root` prefixes every path (`""` for the real files, a directory in tests).
    package init(root: String = "") {
        self.root = root
    }

    // MARK: /proc

    /// `/proc/meminfo`, every line; nil when unreadable.
    package func meminfo() -> [KernelFigure]? {
        file.read(root + "/proc/meminfo") { bytes in
            var result: [KernelFigure] = []
            Self.lines(bytes) { line in
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
                let key = String(decoding: line[..<colon], as: UTF8.self)
                let rest = line[(colon + 1)...]
                let value = Self.number(rest) ?? 0
                let kib = rest.count >= 2 && rest.suffix(2).elementsEqual("kB".utf8)
                result.append(KernelFigure(key: key, value: value, kibibytes: kib))
            }
            return result
        }
    }

    /// `/proc/vmstat` fields node_exporter shows by default: `oom_kill`, `pgpg*`, `pswp*`, `pg*fault*`.
    package func vmstat() -> [KernelFigure]? {
        file.read(root + "/proc/vmstat") { bytes in
            var result: [KernelFigure] = []
            Self.lines(bytes) { line in
                guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return }
                let key = String(decoding: line[..<space], as: UTF8.self)
                guard Self.isDefaultVmstat(key) else { return }
                result.append(KernelFigure(key: key, value: Self.number(line[space...]) ?? 0))
            }
            return result
        }
    }

    /// Whether node_exporter's default `^(oom_kill|pgpg|pswp|pg.*fault).*` takes `key`.
    package static func isDefaultVmstat(_ key: String) -> Bool {
        if key.hasPrefix("oom_kill") || key.hasPrefix("pgpg") || key.hasPrefix("pswp") { return true }
        return key.hasPrefix("pg") && key.dropFirst(2).contains("fault")
    }

    /// `/proc/sys/fs/file-nr`: allocated handles and the maximum.
    package func fileHandles() -> (allocated: UInt64, maximum: UInt64)? {
        file.read(root + "/proc/sys/fs/file-nr") { bytes in
            let fields = Self.numbers(bytes[...])
            return fields.count >= 3 ? (fields[0], fields[2]) : nil
        } ?? nil
    }

    /// `/proc/pressure/{cpu,memory,io,irq}`: the files that exist.
    package func pressure() -> [PressureTotals] {
        var result: [PressureTotals] = []
        for resource in ["cpu", "io", "memory", "irq"] {
            let totals: PressureTotals? = file.read(root + "/proc/pressure/" + resource) { bytes in
                var some: UInt64?
                var full: UInt64?
                Self.lines(bytes) { line in
                    let total = Self.words(line).first { $0.starts(with: "total=".utf8) }
                    let value = total.flatMap { Self.number($0.dropFirst(6)) }
                    if line.starts(with: "some".utf8) {
                        some = value
                    } else if line.starts(with: "full".utf8) {
                        full = value
                    }
                }
                return PressureTotals(resource: resource, some: some, full: full)
            }
            if let totals { result.append(totals) }
        }
        return result
    }

    /// `/proc/sys/kernel/random/entropy_avail` and `poolsize`, bits.
    package func entropy() -> (available: UInt64, poolSize: UInt64?)? {
        guard let available = unsigned(root + "/proc/sys/kernel/random/entropy_avail") else { return nil }
        return (available, unsigned(root + "/proc/sys/kernel/random/poolsize"))
    }

    /// `/proc/net/arp`: the number of entries per device, in first-seen order.
    package func arpEntries() -> [(device: String, count: Int)]? {
        file.read(root + "/proc/net/arp") { bytes in
            var result: [(device: String, count: Int)] = []
            var first = true
            Self.lines(bytes) { line in
                defer { first = false }
                guard !first else { return }
                let words = Self.words(line)
                guard words.count >= 6 else { return }
                let device = String(decoding: words[5], as: UTF8.self)
                if let index = result.firstIndex(where: { $0.device == device }) {
                    result[index].count += 1
                } else {
                    result.append((device, 1))
                }
            }
            return result
        }
    }

    /// `/proc/sys/net/netfilter/nf_conntrack_count` and `nf_conntrack_max`; nil without the module.
    package func conntrack() -> (entries: UInt64, limit: UInt64)? {
        guard let entries = unsigned(root + "/proc/sys/net/netfilter/nf_conntrack_count"),
            let limit = unsigned(root + "/proc/sys/net/netfilter/nf_conntrack_max")
        else { return nil }
        return (entries, limit)
    }

    /// `/proc/interrupts`: every row, counts per CPU.
    package func interrupts() -> [InterruptRow]? {
        file.read(root + "/proc/interrupts") { bytes in
            var result: [InterruptRow] = []
            var cpus = 0
            var first = true
            Self.lines(bytes) { line in
                let words = Self.words(line)
                if first {
                    first = false
                    cpus = words.count
                    return
                }
                guard let head = words.first, head.last == UInt8(ascii: ":") else { return }
                let name = String(decoding: head.dropLast(), as: UTF8.self)
                var counts: [UInt64] = []
                var at = 1
                while at < words.count, counts.count < cpus, let value = Self.number(words[at]) {
                    counts.append(value)
                    at += 1
                }
                let rest = words[at...].map { String(decoding: $0, as: UTF8.self) }
                if name.allSatisfy(\.isNumber), let last = rest.last {
                    result.append(
                        InterruptRow(
                            name: name, info: rest.dropLast().joined(separator: " "), devices: last, counts: counts))
                } else {
                    result.append(
                        InterruptRow(name: name, info: rest.joined(separator: " "), devices: "", counts: counts))
                }
            }
            return result
        }
    }

    /// `/proc/schedstat`: one entry per `cpuN` line.
    package func schedstat() -> [SchedulerCPU]? {
        file.read(root + "/proc/schedstat") { bytes in
            var result: [SchedulerCPU] = []
            Self.lines(bytes) { line in
                let words = Self.words(line)
                guard words.count >= 10, words[0].starts(with: "cpu".utf8),
                    let cpu = Int(String(decoding: words[0].dropFirst(3), as: UTF8.self))
                else { return }
                result.append(
                    SchedulerCPU(
                        cpu: cpu, runningNanoseconds: Self.number(words[7]) ?? 0,
                        waitingNanoseconds: Self.number(words[8]) ?? 0, timeslices: Self.number(words[9]) ?? 0))
            }
            return result
        }
    }

    /// The scaling frequencies of CPUs `0..<count` that have a `cpufreq` directory.
    package func cpuFrequencies(count: Int) -> [CPUFrequency] {
        var result: [CPUFrequency] = []
        for cpu in 0..<count {
            let base = root + "/sys/devices/system/cpu/cpu\(cpu)/cpufreq/"
            let current = unsigned(base + "scaling_cur_freq")
            let minimum = unsigned(base + "scaling_min_freq")
            let maximum = unsigned(base + "scaling_max_freq")
            guard current != nil || minimum != nil || maximum != nil else { continue }
            result.append(CPUFrequency(cpu: cpu, current: current, minimum: minimum, maximum: maximum))
        }
        return result
    }

    /// `/sys/class/thermal/cooling_device*`.
    package func coolingDevices() -> [CoolingDevice] {
        var result: [CoolingDevice] = []
        for entry in Self.directory(root + "/sys/class/thermal") where entry.hasPrefix("cooling_device") {
            let base = root + "/sys/class/thermal/" + entry + "/"
            guard let current = unsigned(base + "cur_state"), let maximum = unsigned(base + "max_state") else {
                continue
            }
            result.append(
                CoolingDevice(
                    name: String(entry.dropFirst("cooling_device".count)), type: text(base + "type") ?? "",
                    current: current, maximum: maximum))
        }
        return result
    }

    /// `/proc/sys/kernel/pid_max` and `threads-max`.
    package func processLimits() -> (pids: UInt64?, threads: UInt64?) {
        (unsigned(root + "/proc/sys/kernel/pid_max"), unsigned(root + "/proc/sys/kernel/threads-max"))
    }

    /// `statistics/rx_nohandler` and `speed` (Mbit/s, as written: -1 when the driver does not know) of each
    /// interface under `/sys/class/net`.
    package func networkExtras() -> [(device: String, noHandler: UInt64?, speed: Int64?)] {
        Self.directory(root + "/sys/class/net").sorted().map { name in
            let base = root + "/sys/class/net/" + name
            return (name, unsigned(base + "/statistics/rx_nohandler"), text(base + "/speed").flatMap { Int64($0) })
        }
    }

    // MARK: /sys/class/hwmon, /sys/class/power_supply

    /// Every numeric attribute of every chip under `/sys/class/hwmon`, with the chips' names and the labels.
    package func hwmon() -> HwmonReadings {
        var readings = HwmonReadings()
        let base = root + "/sys/class/hwmon"
        for entry in Self.directory(base) {
            let directory = base + "/" + entry
            var chip = ""
            if let device = Self.realPath(directory + "/device") {
                let parts = device.split(separator: "/")
                let name = Self.clean(parts.last.map(String.init) ?? "")
                let type = Self.clean(parts.dropLast().last.map(String.init) ?? "")
                chip = type.isEmpty || name.isEmpty ? name : type + "_" + name
            }
            let chipName = text(directory + "/name").map(Self.clean) ?? ""
            if chip.isEmpty { chip = chipName }
            if chip.isEmpty { chip = Self.clean(entry) }
            if !chipName.isEmpty { readings.chipNames.append((chip, chipName)) }
            for attribute in Self.directory(directory).sorted() {
                guard let underscore = attribute.firstIndex(of: "_") else { continue }
                let sensor = String(attribute[..<underscore])
                let property = String(attribute[attribute.index(after: underscore)...])
                let type = String(sensor.prefix { !$0.isNumber })
                guard ["temp", "fan", "in", "curr", "power"].contains(type), sensor.count > type.count else { continue }
                if property == "label" {
                    if let label = text(directory + "/" + attribute) { readings.labels.append((chip, sensor, label)) }
                    continue
                }
                guard let raw = text(directory + "/" + attribute).flatMap({ Int64($0) }) else { continue }
                readings.values.append(
                    HwmonValue(chip: chip, sensor: sensor, type: type, attribute: property, raw: raw))
            }
        }
        return readings
    }

    /// Every power supply under `/sys/class/power_supply`, sorted by name.
    package func powerSupplies() -> [PowerSupplyReading] {
        let base = root + "/sys/class/power_supply"
        let numeric = [
            "online", "capacity", "present", "cycle_count", "energy_now", "energy_full", "energy_full_design",
            "power_now", "voltage_now", "current_now", "charge_now", "charge_full", "charge_full_design", "temp",
            "time_to_empty_now", "time_to_full_now",
        ]
        let textual = [
            "type", "status", "technology", "manufacturer", "model_name", "serial_number", "capacity_level",
        ]
        return Self.directory(base).sorted().map { name in
            let directory = base + "/" + name + "/"
            var numbers: [KernelFigure] = []
            for key in numeric {
                if let value = text(directory + key).flatMap({ Int64($0) }), value >= 0 {
                    numbers.append(KernelFigure(key: key, value: UInt64(value)))
                }
            }
            var texts: [(key: String, value: String)] = []
            for key in textual {
                if let value = text(directory + key), !value.isEmpty { texts.append((key, value)) }
            }
            return PowerSupplyReading(name: name, numbers: numbers, texts: texts)
        }
    }

    // MARK: Mounts

    /// node_exporter's default mount point exclusions.
    package static func excludesMountPoint(_ path: String) -> Bool {
        for prefix in ["/dev", "/proc", "/sys"] where path == prefix || path.hasPrefix(prefix + "/") { return true }
        for prefix in ["/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"]
        where path.hasPrefix(prefix) && path.count > prefix.count {
            return true
        }
        return false
    }

    /// node_exporter's default filesystem type exclusions.
    package static let excludedTypes: Set<String> = [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "fusectl",
        "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore", "rpc_pipefs", "securityfs",
        "selinuxfs", "squashfs", "erofs", "sysfs", "tracefs",
    ]

    /// The mounts of `/proc/1/mountinfo` (`/proc/self/mountinfo` when that is unreadable) that node_exporter
    /// lists by default, first mount of each mount point, with their `statfs` figures.
    package func filesystems() -> [FilesystemReading]? {
        let parse: (UnsafeBufferPointer<UInt8>) -> [FilesystemReading] = { Self.parseMountInfo($0) }
        guard
            let mounts = file.read(root + "/proc/1/mountinfo", parse) ?? file.read(root + "/proc/self/mountinfo", parse)
        else { return nil }
        var seen = Set<String>()
        var result: [FilesystemReading] = []
        for var mount in mounts
        where !Self.excludedTypes.contains(mount.fsType) && !Self.excludesMountPoint(mount.mountPoint) {
            guard seen.insert(mount.mountPoint).inserted else { continue }
            var stats = statvfs()
            if statvfs(mount.mountPoint, &stats) != 0 {
                mount.deviceError = true
            } else {
                let unit = UInt64(stats.f_bsize)
                mount.size = UInt64(stats.f_blocks) &* unit
                mount.free = UInt64(stats.f_bfree) &* unit
                mount.available = UInt64(stats.f_bavail) &* unit
                mount.files = UInt64(stats.f_files)
                mount.filesFree = UInt64(stats.f_ffree)
            }
            result.append(mount)
        }
        return result
    }

    /// Parses mountinfo lines: mount point (field 5), options (6), then after `-`: type, source, super options.
    package static func parseMountInfo(_ bytes: UnsafeBufferPointer<UInt8>) -> [FilesystemReading] {
        var result: [FilesystemReading] = []
        lines(bytes) { line in
            let fields = words(line)
            guard fields.count >= 10,
                let separator = fields[6...].firstIndex(where: { $0.count == 1 && $0.first == UInt8(ascii: "-") }),
                separator + 3 < fields.count
            else { return }
            func options(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
                field.split(separator: UInt8(ascii: ",")).contains { $0.elementsEqual("ro".utf8) }
            }
            result.append(
                FilesystemReading(
                    device: unescape(fields[separator + 2]), fsType: unescape(fields[separator + 1]),
                    mountPoint: unescape(fields[4]), readOnly: options(fields[5]) || options(fields[separator + 3]),
                    deviceError: false))
        }
        return result
    }

    // MARK: Host

    /// uname(2): sysname, release, version, machine, nodename, domainname (`(none)` when unset).
    package static func uname() -> [(key: String, value: String)] {
        var names = utsname()
        guard Glibc.uname(&names) == 0 else { return [] }
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return [
            ("domainname", field(&names.__domainname)), ("machine", field(&names.machine)),
            ("nodename", field(&names.nodename)), ("release", field(&names.release)),
            ("sysname", field(&names.sysname)), ("version", field(&names.version)),
        ]
    }

    /// `/etc/os-release` (or `/usr/lib/os-release`): its `KEY=value` lines, quotes removed.
    package func osRelease() -> [String: String] {
        guard let content = text(root + "/etc/os-release") ?? text(root + "/usr/lib/os-release") else { return [:] }
        var fields: [String: String] = [:]
        for line in content.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            var value = line[line.index(after: equals)...]
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            fields[String(line[..<equals])] = String(value)
        }
        return fields
    }

    /// glanced's own process: `/proc/self/stat`, `/proc/self/limits`, `/proc/self/fd`.
    package func selfProcess(bootTime: UInt64) -> SelfProcessReading {
        var reading = SelfProcessReading()
        _ = file.read("/proc/self/stat") { bytes in
            guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return }
            let fields = Self.words(bytes[(close + 1)...])
            // After the name: state(0) … utime(11) stime(12) … starttime(19) vsize(20) rss(21).
            guard fields.count > 21 else { return }
            reading.cpuTicks = (Self.number(fields[11]) ?? 0) &+ (Self.number(fields[12]) ?? 0)
            reading.startTime = Double(bootTime) + Double(Self.number(fields[19]) ?? 0) / pageTicks
            reading.virtualBytes = Self.number(fields[20]) ?? 0
            reading.residentBytes = (Self.number(fields[21]) ?? 0) &* pageSize
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            reading.maxFDs = limit.rlim_cur == rlim_t.max ? .infinity : Double(limit.rlim_cur)
        }
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 {
            reading.maxVirtualBytes = limit.rlim_cur == rlim_t.max ? .infinity : Double(limit.rlim_cur)
        }
        reading.openFDs = max(0, Self.directory("/proc/self/fd").count)
        return reading
    }

    /// Clock ticks per second (USER_HZ).
    package var ticksPerSecond: Double { pageTicks }

    // MARK: Helpers

    private func unsigned(_ path: String) -> UInt64? {
        file.read(path) { Self.number($0[...]) } ?? nil
    }

    private func text(_ path: String) -> String? {
        guard let raw = file.readString(path) else { return nil }
        var text = Substring(raw)
        while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
        return String(text)
    }

    /// The names in directory `path`, without `.` and `..`; empty when it cannot be read.
    package static func directory(_ path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        // Read up to the NUL in place: glibc allocates only as much of `d_name` as the name needs, so copying
        // the whole 256-byte field (as `entry.pointee.d_name` would) reads past the entry.
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        while let entry = readdir(handle) {
            let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// node_exporter's chip name cleaning: lower case, `[^a-z0-9:_]` → `_`, `_` trimmed at both ends.
    package static func clean(_ name: String) -> String {
        var bytes = name.utf8.map { byte -> UInt8 in
            let lower = byte &- 0x41 < 26 ? byte | 0x20 : byte
            let keep =
                (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) || lower == UInt8(ascii: ":")
            return keep ? lower : UInt8(ascii: "_")
        }
        while bytes.first == UInt8(ascii: "_") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: "_") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func lines(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Void
    ) {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            body(bytes[start..<end])
            start = end + 1
        }
    }

    private static func words(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> [Slice<UnsafeBufferPointer<UInt8>>] {
        line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
    }

    /// The first decimal number in `text`, skipping leading blanks; nil when none.
    private static func number(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64? {
        var index = text.startIndex
        while index < text.endIndex, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "\t") {
            index += 1
        }
        var value: UInt64 = 0
        var digits = 0
        while index < text.endIndex, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ UInt64(text[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    private static func numbers(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt64] {
        words(text).compactMap { number($0) }
    }

    private static func unescape(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            if field[index] == UInt8(ascii: "\\"), index + 3 < field.endIndex,
                field[(index + 1)...(index + 3)].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") })
            {
                out.append(field[(index + 1)...(index + 3)].reduce(0) { $0 &* 8 &+ ($1 - UInt8(ascii: "0")) })
                index += 4
            } else {
                out.append(field[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
