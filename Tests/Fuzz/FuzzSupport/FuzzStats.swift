import GlancedSystem

// `@testable`: the memberwise initializers of PrometheusPlugin.Group, .TopName, .Textfile, .Threshold and
// NodePlugin.Collector (the plugins make those values from what they read; they have no `package` init).
@testable package import GlancedStats

/// Typed stats of every plugin, built from fuzz input: what the renderers read, with any text and numbers.
///
/// Keys the product takes from fixed lists (uname fields, os-release keys, power supply attributes) stay those
/// keys; every value, name and label read from the system is fuzzed.
package enum FuzzStats {
    /// A sample of every registered plugin, in wire order; with `dropping`, each plugin is left out of the sample
    /// by an input bit (a renderer must do without any of them).
    package static func sample(_ input: inout FuzzInput, dropping: Bool = false) -> Sample {
        var names: [String] = []
        var stats: [any PluginStats] = []
        var inGetAll: [Bool] = []
        var generations: [Set<GlancesGeneration>] = []
        for plugin in registry {
            if dropping, input.byte() & 0x80 != 0 { continue }
            names.append(plugin.name)
            stats.append(self.stats(of: plugin.name, &input))
            inGetAll.append(plugin.inGetAll)
            generations.append(plugin.generations)
        }
        return Sample(
            names: names, stats: stats, inGetAll: inGetAll, sequence: input.count(255), monotonic: input.double(),
            epoch: clock(&input), generations: generations)
    }

    /// What a sample takes from each registered plugin, in wire order: read once, not per input.
    static let registry: [(name: String, inGetAll: Bool, generations: Set<GlancesGeneration>)] =
        PluginRegistry.all.map { ($0.name, $0.inGetAll, $0.generations) }

    /// The stats of the plugin called `name`.
    package static func stats(of name: String, _ input: inout FuzzInput) -> any PluginStats {
        switch name {
        case AlertPlugin.name: return AlertPlugin.Stats(log: alertLog(&input))
        case BatPercentPlugin.name: return BatPercentPlugin.Stats(batteries: input.list(6, battery))
        case CorePlugin.name: return CorePlugin.Stats(physical: input.int(), logical: input.int())
        case CPUPlugin.name:
            return CPUPlugin.Stats(
                ticks: ticks(&input), split: split(&input), contextSwitches: input.uint64(),
                interrupts: input.uint64(), softInterrupts: input.uint64(), contextSwitchesDelta: input.uint64(),
                interruptsDelta: input.uint64(), softInterruptsDelta: input.uint64(), cores: input.int(),
                interval: input.optional { $0.double() })
        case DiskIOPlugin.name:
            return DiskIOPlugin.Stats(disks: input.list(8, disk), interval: input.optional { $0.double() })
        case FsPlugin.name: return FsPlugin.Stats(mounts: input.list(8, mount))
        case HddtempPlugin.name: return HddtempPlugin.Stats(disks: input.list(6, hddtemp))
        case HelpPlugin.name: return HelpPlugin.Stats()
        case LoadPlugin.name:
            return LoadPlugin.Stats(
                one: input.double(), five: input.double(), fifteen: input.double(), cores: input.int())
        case MemPlugin.name: return MemPlugin.Stats(memory: memory(&input))
        case MemSwapPlugin.name: return MemSwapPlugin.Stats(memory: memory(&input))
        case MonitorPlugin.name: return MonitorPlugin.Stats(groups: input.list(6, monitorGroup))
        case NetworkPlugin.name:
            return NetworkPlugin.Stats(interfaces: input.list(8, interface), interval: input.optional { $0.double() })
        case NowPlugin.name:
            return NowPlugin.Stats(
                epoch: clock(&input), text: input.string(), zoned: input.string(), iso: input.string())
        case PerCPUPlugin.name:
            return PerCPUPlugin.Stats(
                cpus: input.list(8) { PerCPUPlugin.CPU(number: $0.int(), ticks: ticks(&$0), split: split(&$0)) })
        case PortsPlugin.name: return PortsPlugin.Stats()
        case QuickLookPlugin.name:
            return QuickLookPlugin.Stats(
                cpu: split(&input),
                cpus: input.list(8) { PerCPUPlugin.CPU(number: $0.int(), ticks: ticks(&$0), split: split(&$0)) },
                memPercent: input.double(), swapPercent: input.double(), load15: input.double(),
                logicalCores: input.int(), physicalCores: input.int(), cpuName: input.string(),
                currentHz: input.optional { $0.double() }, maxHz: input.optional { $0.double() })
        case ProcessCountPlugin.name:
            var states = ProcessStateCounts()
            for _ in 0..<input.count(40) { states.add(input.byte()) }
            return ProcessCountPlugin.Stats(states: states, threads: input.int())
        case ProcessListPlugin.name: return ProcessListPlugin.Stats(table: processTable(&input))
        case PsutilVersionPlugin.name: return PsutilVersionPlugin.Stats(version: input.list(5) { $0.int() })
        case SensorsPlugin.name:
            return SensorsPlugin.Stats(
                readings: input.list(8) {
                    SensorReading(label: $0.string(), value: $0.double(), kind: $0.bool() ? .temperature : .fan)
                }, disks: input.list(4, hddtemp), batteries: input.list(4, battery))
        case SystemPlugin.name:
            return SystemPlugin.Stats(
                hostname: input.string(), platform: input.string(), distribution: input.string(),
                kernelRelease: input.string())
        case UptimePlugin.name: return UptimePlugin.Stats(seconds: input.double())
        case NodePlugin.name: return node(&input)
        case PrometheusPlugin.name: return prometheus(&input)
        default: preconditionFailure("no fuzz stats for plugin \(name): add them here")
        }
    }

    // MARK: Pieces

    /// A wall-clock time as the system clock gives it: finite, from before 1970 to past 2100 (the time
    /// formatting of `now` and of history points converts it to whole seconds).
    static func clock(_ input: inout FuzzInput) -> Double {
        Double(Int64(truncatingIfNeeded: input.raw64()) % 5_000_000_000) + Double(input.byte()) / 256
    }

    static func alertLog(_ input: inout FuzzInput) -> AlertLog {
        var log = AlertLog()
        let types = ["CPU_USER", "CPU_SYSTEM", "CPU_IOWAIT", "LOAD", "MEM", "MEMSWAP"]
        for _ in 0..<input.count(16) {
            let type = input.bool() ? types[input.count(types.count - 1)] : input.string()
            let level = AlertLevel(rawValue: input.count(3)) ?? .ok
            log.record(type: type, level: level, value: input.double(), time: input.double())
        }
        return log
    }

    static func battery(_ input: inout FuzzInput) -> Battery {
        // A capacity as PowerSupplies reads it: a percentage, or whatever a capacity file says.
        Battery(name: input.string(), capacity: input.bool() ? input.count(100) : input.int())
    }

    static func ticks(_ input: inout FuzzInput) -> CPUTicks {
        var ticks = CPUTicks()
        ticks.user = input.uint64()
        ticks.nice = input.uint64()
        ticks.system = input.uint64()
        ticks.idle = input.uint64()
        ticks.iowait = input.uint64()
        ticks.irq = input.uint64()
        ticks.softirq = input.uint64()
        ticks.steal = input.uint64()
        ticks.guest = input.uint64()
        ticks.guestNice = input.uint64()
        return ticks
    }

    static func split(_ input: inout FuzzInput) -> CPUPercentages {
        if input.bool() { return CPUPercentages(from: input.optional(ticks), to: ticks(&input)) }
        var split = CPUPercentages(from: nil, to: CPUTicks())
        split.user = input.double()
        split.system = input.double()
        split.idle = input.double()
        split.nice = input.double()
        split.iowait = input.double()
        split.irq = input.double()
        split.softirq = input.double()
        split.steal = input.double()
        split.guest = input.double()
        split.guestNice = input.double()
        return split
    }

    static func disk(_ input: inout FuzzInput) -> DiskIOPlugin.Disk {
        var counters = DiskCounters(
            name: input.string(), readCount: input.uint64(), writeCount: input.uint64(), readBytes: input.uint64(),
            writeBytes: input.uint64())
        if input.bool() {
            counters.readsMerged = input.uint64()
            counters.writesMerged = input.uint64()
            counters.readTimeMs = input.uint64()
            counters.writeTimeMs = input.uint64()
            counters.ioInProgress = input.uint64()
            counters.ioTimeMs = input.uint64()
            counters.weightedIoTimeMs = input.uint64()
            counters.discards = input.uint64()
            counters.discardsMerged = input.uint64()
            counters.discardedBytes = input.uint64()
            counters.discardTimeMs = input.uint64()
            counters.flushes = input.uint64()
            counters.flushTimeMs = input.uint64()
            counters.columns = input.count(20)
        }
        return DiskIOPlugin.Disk(
            counters: counters, readBytesDelta: input.uint64(), writeBytesDelta: input.uint64(),
            readCountDelta: input.uint64(), writeCountDelta: input.uint64())
    }

    static func mount(_ input: inout FuzzInput) -> MountUsage {
        MountUsage(
            mount: MountEntry(device: input.string(), fsType: input.string(), mountPoint: input.string()),
            size: input.uint64(), used: input.uint64(), available: input.uint64())
    }

    static func hddtemp(_ input: inout FuzzInput) -> HddtempDisk {
        HddtempDisk(label: input.string(), value: input.bool() ? String(input.int()) : input.string())
    }

    static func memory(_ input: inout FuzzInput) -> MemorySample {
        var memory = MemorySample()
        memory.total = input.uint64()
        memory.available = input.uint64()
        memory.free = input.uint64()
        memory.active = input.uint64()
        memory.inactive = input.uint64()
        memory.buffers = input.uint64()
        memory.cached = input.uint64()
        memory.swapTotal = input.uint64()
        memory.swapFree = input.uint64()
        memory.swappedIn = input.uint64()
        memory.swappedOut = input.uint64()
        return memory
    }

    static func monitorGroup(_ input: inout FuzzInput) -> MonitorPlugin.Group {
        MonitorPlugin.Group(
            description: input.string(), regex: input.string(), command: input.optional { $0.string() },
            countMin: input.optional { $0.string() }, countMax: input.optional { $0.string() }, count: input.int(),
            cpuPercent: input.double(), memoryPercent: input.double(), result: input.string())
    }

    static func interface(_ input: inout FuzzInput) -> NetworkPlugin.Interface {
        var counters = NetworkInterfaceCounters(
            name: input.string(), receivedBytes: input.uint64(), sentBytes: input.uint64())
        if input.bool() {
            counters.receivedPackets = input.uint64()
            counters.receiveErrors = input.uint64()
            counters.receiveDrops = input.uint64()
            counters.sentPackets = input.uint64()
            counters.collisions = input.uint64()
        }
        let link = input.optional { input in
            NetworkLink(
                operState: input.bool() ? "up" : input.string(), isUp: input.bool(),
                speedMbps: input.optional { $0.int() }, mtu: input.optional { $0.int() },
                alias: input.optional { $0.string() }, address: input.optional { $0.string() },
                duplex: input.optional { $0.string() }, carrier: input.optional { $0.bool() })
        }
        return NetworkPlugin.Interface(
            counters: counters, receivedDelta: input.uint64(), sentDelta: input.uint64(), link: link)
    }

    static func processTable(_ input: inout FuzzInput) -> ProcessTable {
        var table = ProcessTable()
        table.interval = input.optional { $0.double() }
        table.processes = input.list(8) { input in
            let reading = ProcessReading(
                pid: Int32(truncatingIfNeeded: input.int()), parentPID: Int32(truncatingIfNeeded: input.int()),
                state: input.byte(), nice: Int32(truncatingIfNeeded: input.int()),
                threads: Int32(truncatingIfNeeded: input.int()), userTicks: input.uint64(),
                systemTicks: input.uint64(), startTicks: input.uint64(), residentBytes: input.uint64(),
                virtualBytes: input.uint64(), userID: UInt32(truncatingIfNeeded: input.int()),
                userName: input.string(), name: input.string(), cmdline: input.string(),
                isKernelThread: input.bool(),
                io: input.optional { ProcessIO(readBytes: $0.uint64(), writeBytes: $0.uint64()) })
            var entry = ProcessEntry(reading)
            entry.previousIO = ProcessIO(readBytes: input.uint64(), writeBytes: input.uint64())
            entry.cpuPercent = input.double()
            entry.memoryPercent = input.double()
            return entry
        }
        return table
    }

    static func figure(_ input: inout FuzzInput) -> KernelFigure {
        KernelFigure(key: input.string(), value: input.uint64(), kibibytes: input.bool())
    }

    static func node(_ input: inout FuzzInput) -> NodePlugin.Stats {
        var node = NodePlugin.Stats()
        node.meminfo = input.list(6, figure)
        node.vmstat = input.list(6, figure)
        node.bootTime = input.uint64()
        node.forks = input.uint64()
        node.running = input.uint64()
        node.blocked = input.uint64()
        node.fileHandles = input.optional { ($0.uint64(), $0.uint64()) }
        node.pressure = input.list(5) { input in
            let resources = ["cpu", "io", "memory", "irq"]
            return PressureTotals(
                resource: input.bool() ? resources[input.count(3)] : input.string(),
                some: input.optional { $0.uint64() }, full: input.optional { $0.uint64() })
        }
        node.entropy = input.optional { ($0.uint64(), $0.optional { $0.uint64() }) }
        node.arp = input.optional { $0.list(4) { ($0.string(), $0.int()) } }
        node.conntrack = input.optional { ($0.uint64(), $0.uint64()) }
        node.interrupts = input.list(4) {
            InterruptRow(name: $0.string(), info: $0.string(), devices: $0.string(), counts: $0.list(4) { $0.uint64() })
        }
        node.schedstat = input.list(4) {
            SchedulerCPU(
                cpu: $0.int(), runningNanoseconds: $0.uint64(), waitingNanoseconds: $0.uint64(),
                timeslices: $0.uint64())
        }
        node.frequencies = input.list(4) {
            CPUFrequency(
                cpu: $0.int(), current: $0.optional { $0.uint64() }, minimum: $0.optional { $0.uint64() },
                maximum: $0.optional { $0.uint64() })
        }
        node.cooling = input.list(3) {
            CoolingDevice(name: $0.string(), type: $0.string(), current: $0.uint64(), maximum: $0.uint64())
        }
        node.maxProcesses = input.optional { $0.uint64() }
        node.maxThreads = input.optional { $0.uint64() }
        node.networkExtras = input.list(4) { input in
            (input.string(), input.optional { $0.uint64() }, input.optional { Int64(truncatingIfNeeded: $0.int()) })
        }
        var hwmon = HwmonReadings()
        hwmon.values = input.list(6) { input in
            let types = ["temp", "fan", "in", "curr", "power"]
            return HwmonValue(
                chip: input.string(), sensor: input.string(),
                type: input.bool() ? types[input.count(4)] : input.string(),
                attribute: input.bool() ? "input" : input.string(), raw: Int64(truncatingIfNeeded: input.int()))
        }
        hwmon.chipNames = input.list(3) { ($0.string(), $0.string()) }
        hwmon.labels = input.list(3) { ($0.string(), $0.string(), $0.string()) }
        node.hwmon = hwmon
        node.powerSupplies = input.list(3) { input in
            let numeric = ["online", "capacity", "energy_now", "power_now", "temp", "time_to_empty_now"]
            let textual = ["type", "status", "technology", "manufacturer", "model_name", "serial_number"]
            return PowerSupplyReading(
                name: input.string(),
                numbers: numeric.compactMap { key in input.bool() ? KernelFigure(key: key, value: input.uint64()) : nil
                },
                texts: textual.compactMap { key in input.bool() ? (key, input.string()) : nil })
        }
        node.filesystems = input.list(4) { input in
            var reading = FilesystemReading(
                device: input.string(), fsType: input.string(), mountPoint: input.string(), readOnly: input.bool(),
                deviceError: input.bool())
            reading.size = input.uint64()
            reading.free = input.uint64()
            reading.available = input.uint64()
            reading.files = input.uint64()
            reading.filesFree = input.uint64()
            return reading
        }
        if input.bool() {
            node.uname = ["domainname", "machine", "nodename", "release", "sysname", "version"].map {
                ($0, input.string())
            }
        }
        if input.bool() {
            for key in ["ID", "ID_LIKE", "NAME", "PRETTY_NAME", "VERSION", "VERSION_ID", "VERSION_CODENAME"]
            where input.bool() {
                node.osRelease[key] = input.string()
            }
        }
        node.selfProcess.cpuTicks = input.uint64()
        node.selfProcess.residentBytes = input.uint64()
        node.selfProcess.virtualBytes = input.uint64()
        node.selfProcess.startTime = input.double()
        node.selfProcess.openFDs = input.int()
        node.selfProcess.maxFDs = input.double()
        node.selfProcess.maxVirtualBytes = input.double()
        node.ticksPerSecond = input.double()
        node.collectors = input.list(4) {
            NodePlugin.Collector(name: $0.string(), seconds: $0.double(), success: $0.bool())
        }
        return node
    }

    static func prometheus(_ input: inout FuzzInput) -> PrometheusPlugin.Stats {
        var stats = PrometheusPlugin.Stats()
        stats.groups = input.list(4) { input in
            PrometheusPlugin.Group(
                name: input.string(), processes: input.int(), threads: input.int(), userSeconds: input.double(),
                systemSeconds: input.double(), readBytes: input.uint64(), writtenBytes: input.uint64(),
                residentBytes: input.uint64(), virtualBytes: input.uint64(), states: (0..<5).map { _ in input.int() },
                oldestStart: input.optional { $0.double() }, status: input.count(2),
                countMin: input.optional { $0.double() }, countMax: input.optional { $0.double() })
        }
        stats.top = input.list(4) { input in
            PrometheusPlugin.TopName(
                name: input.string(), processes: input.int(), userSeconds: input.double(),
                systemSeconds: input.double(), residentBytes: input.uint64(), cpuRatio: input.double())
        }
        stats.topCount = input.count(50)
        stats.thresholds = input.list(4) { input in
            PrometheusPlugin.Threshold(
                plugin: input.string(), stat: input.string(), level: input.string(), value: input.double())
        }
        if input.bool() {
            stats.textfileDirectory = input.bool() ? "/var/lib/glanced/textfile" : input.string()
            stats.textfileDirectoryError = input.byte() == 0xFF
            stats.textfiles = input.list(3) { input in
                PrometheusPlugin.Textfile(
                    name: input.bool() ? "a.prom" : input.string(), modified: input.double(),
                    content: input.byte() == 0xFF ? nil : input.bytes(1024))
            }
        }
        return stats
    }
}
