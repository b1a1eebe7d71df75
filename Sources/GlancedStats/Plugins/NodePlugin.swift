package import GlancedSystem

/// `node`: the kernel files that only Prometheus' `/metrics` shows (node_exporter's collectors beyond what
/// Glances reads): all of `/proc/meminfo`, `/proc/vmstat`'s paging counters, file handles, pressure, entropy,
/// ARP, conntrack, interrupts, scheduler statistics, CPU frequencies, cooling devices, hwmon, power supplies,
/// every mount with `statfs`, the host's names and glanced's own process.
///
/// Not a Glances plugin: Glances clients never see it (``isGlancesPlugin`` is false).
package struct NodePlugin: StatsPlugin {
    package static let name = "node"

    package static var inGetAll: Bool { false }

    package static var isGlancesPlugin: Bool { false }

    /// How one node_exporter collector fared in this sample.
    package struct Collector: Sendable, Equatable {
        /// The collector's name in node_exporter (`meminfo`, `filesystem`, …).
        package var name: String
        /// Seconds its reads took.
        package var seconds: Double
        /// Whether its files were readable.
        package var success: Bool
    }

    /// One sample of the kernel files.
    package struct Stats: PluginStats {
        package var meminfo: [KernelFigure] = []
        package var vmstat: [KernelFigure] = []
        /// `/proc/stat`'s boot time, forks, running and blocked tasks (from the shared read).
        package var bootTime: UInt64 = 0, forks: UInt64 = 0, running: UInt64 = 0, blocked: UInt64 = 0
        package var fileHandles: (allocated: UInt64, maximum: UInt64)?
        package var pressure: [PressureTotals] = []
        package var entropy: (available: UInt64, poolSize: UInt64?)?
        package var arp: [(device: String, count: Int)]?
        package var conntrack: (entries: UInt64, limit: UInt64)?
        package var interrupts: [InterruptRow] = []
        package var schedstat: [SchedulerCPU] = []
        package var frequencies: [CPUFrequency] = []
        package var cooling: [CoolingDevice] = []
        package var maxProcesses: UInt64?, maxThreads: UInt64?
        /// Per interface: `rx_nohandler` and the raw `speed` (Mbit/s, -1 when unknown).
        package var networkExtras: [(device: String, noHandler: UInt64?, speed: Int64?)] = []
        package var hwmon = HwmonReadings()
        package var powerSupplies: [PowerSupplyReading] = []
        package var filesystems: [FilesystemReading] = []
        package var uname: [(key: String, value: String)] = []
        package var osRelease: [String: String] = [:]
        package var selfProcess = SelfProcessReading()
        /// Clock ticks per second of the CPU times (USER_HZ).
        package var ticksPerSecond: Double = 100
        /// Each collector's time and outcome, in reading order.
        package var collectors: [Collector] = []

        /// Creates an empty value.
        package init() {}

        package func writeGlances2(into json: inout JSONWriter) {
            json.null()
        }
    }

    private let reader = NodeFilesReader()
    private var uname: [(key: String, value: String)] = []
    private var osRelease: [String: String] = [:]

    package init(configuration: PluginConfiguration) {
        uname = NodeFilesReader.uname()
        osRelease = reader.osRelease()
    }

    package mutating func update(_ refresh: Refresh) -> Stats {
        var stats = Stats()
        let reader = self.reader
        func timed(_ name: String, _ body: () -> Bool) {
            let start = Clock.monotonicSeconds()
            let success = body()
            stats.collectors.append(Collector(name: name, seconds: Clock.monotonicSeconds() - start, success: success))
        }
        let cpu = refresh.value(of: CPUStatSource.self).current
        stats.bootTime = cpu.bootTime
        stats.forks = cpu.forks
        stats.running = cpu.running
        stats.blocked = cpu.blocked
        timed("meminfo") {
            stats.meminfo = reader.meminfo() ?? []
            return !stats.meminfo.isEmpty
        }
        timed("vmstat") {
            stats.vmstat = reader.vmstat() ?? []
            return !stats.vmstat.isEmpty
        }
        timed("filefd") {
            stats.fileHandles = reader.fileHandles()
            return stats.fileHandles != nil
        }
        timed("pressure") {
            stats.pressure = reader.pressure()
            return !stats.pressure.isEmpty
        }
        timed("entropy") {
            stats.entropy = reader.entropy()
            return stats.entropy != nil
        }
        timed("arp") {
            stats.arp = reader.arpEntries()
            return stats.arp != nil
        }
        timed("conntrack") {
            stats.conntrack = reader.conntrack()
            return stats.conntrack != nil
        }
        timed("interrupts") {
            stats.interrupts = reader.interrupts() ?? []
            return !stats.interrupts.isEmpty
        }
        timed("schedstat") {
            stats.schedstat = reader.schedstat() ?? []
            return !stats.schedstat.isEmpty
        }
        timed("cpufreq") {
            stats.frequencies = reader.cpuFrequencies(count: refresh.value(of: HostSource.self).logicalCPUs)
            return true
        }
        timed("thermal_zone") {
            stats.cooling = reader.coolingDevices()
            return true
        }
        timed("processes") {
            (stats.maxProcesses, stats.maxThreads) = reader.processLimits()
            return stats.maxProcesses != nil
        }
        timed("netdev") {
            stats.networkExtras = reader.networkExtras()
            return true
        }
        timed("hwmon") {
            stats.hwmon = reader.hwmon()
            return true
        }
        timed("powersupplyclass") {
            stats.powerSupplies = reader.powerSupplies()
            return true
        }
        timed("filesystem") {
            stats.filesystems = reader.filesystems() ?? []
            return !stats.filesystems.isEmpty
        }
        stats.uname = uname
        stats.osRelease = osRelease
        stats.selfProcess = reader.selfProcess(bootTime: cpu.bootTime)
        stats.ticksPerSecond = reader.ticksPerSecond
        return stats
    }
}
