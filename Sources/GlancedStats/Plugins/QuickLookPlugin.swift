import GlancedSystem

/// `quicklook` (Glances 3.x and 4.x): the summary bars: CPU, memory, swap and load percentages, each CPU's share,
/// and the processor's name and frequencies.
///
/// The CPU name is read once from `/proc/cpuinfo`; the current frequency each sample (the mean of the CPUs'
/// `scaling_cur_freq`, or cpuinfo's `cpu MHz`), the highest from `cpuinfo_max_freq`. Glances 2.x has no such
/// plugin in this form: the v2 wire does not list it.
package struct QuickLookPlugin: StatsPlugin {
    package static let name = "quicklook"

    package static var inHistory: Bool { true }

    package static var generations: Set<GlancesGeneration> { [.v3, .v4] }

    package static var defaultOptions: [ConfigSection.Entry] {
        OptionCheck.levels(["cpu", "mem", "swap"], "50", "70", "90")
    }

    /// This sample's summary.
    package struct Stats: PluginStats {
        /// The split of all CPUs' time since the previous sample.
        package var cpu: CPUPercentages
        /// Each logical CPU.
        package var cpus: [PerCPUPlugin.CPU]
        /// Memory and swap in use, % (as `mem` and `memswap` compute them).
        package var memPercent: Double, swapPercent: Double
        /// The 15-minute load average.
        package var load15: Double
        /// Logical CPUs and physical cores.
        package var logicalCores: Int, physicalCores: Int
        /// The processor's name.
        package var cpuName: String
        /// The current (mean) and the highest frequency, Hz; nil when the machine does not say.
        package var currentHz: Double?, maxHz: Double?

        /// Creates the value.
        package init(
            cpu: CPUPercentages, cpus: [PerCPUPlugin.CPU], memPercent: Double, swapPercent: Double, load15: Double,
            logicalCores: Int, physicalCores: Int, cpuName: String, currentHz: Double?, maxHz: Double?
        ) {
            self.cpu = cpu
            self.cpus = cpus
            self.memPercent = memPercent
            self.swapPercent = swapPercent
            self.load15 = load15
            self.logicalCores = logicalCores
            self.physicalCores = physicalCores
            self.cpuName = cpuName
            self.currentHz = currentHz
            self.maxHz = maxHz
        }

        /// 100 − idle, to 0.1.
        package var cpuPercent: Double { CPUPercentages.round1(100 - cpu.idle) }
        /// The 15-minute load per logical CPU, %, to 0.1.
        package var loadPercent: Double { CPUPercentages.round1(load15 / Double(max(logicalCores, 1)) * 100) }

        /// 2.x has no quicklook; this shape is never sent to a 2.x client.
        package func writeGlances2(into json: inout JSONWriter) {
            writeGlances3(into: &json)
        }

        /// 3.x: `cpu`, `percpu`, `mem`, `swap`, `cpu_name`, `cpu_hz_current`, `cpu_hz` (0.0 when unknown).
        package func writeGlances3(into json: inout JSONWriter) {
            json.object { json in
                json.field("cpu", cpuPercent)
                writePerCPU(.v3, into: &json)
                json.field("mem", memPercent)
                json.field("swap", swapPercent)
                json.field("cpu_name", cpuName)
                json.field("cpu_hz_current", currentHz ?? 0)
                json.field("cpu_hz", maxHz ?? 0)
            }
        }

        /// 4.x: the 3.x keys (frequencies null when unknown), `load`, the core counts and the GPU figures (0).
        package func writeGlances4(into json: inout JSONWriter) {
            json.object { json in
                json.field("cpu_name", cpuName)
                json.key("cpu_hz_current")
                if let currentHz { json.value(currentHz) } else { json.null() }
                json.key("cpu_hz")
                if let maxHz { json.value(maxHz) } else { json.null() }
                json.field("cpu", cpuPercent)
                writePerCPU(.v4, into: &json)
                json.field("mem", memPercent)
                json.field("swap", swapPercent)
                json.field("cpu_log_core", logicalCores)
                json.field("cpu_phys_core", physicalCores)
                json.field("load", loadPercent)
                json.field("gpu_mem", 0)
                json.field("gpu_proc", 0)
            }
        }

        private func writePerCPU(_ generation: GlancesGeneration, into json: inout JSONWriter) {
            json.key("percpu")
            json.array { json in
                for cpu in cpus { cpu.write(generation, into: &json) }
            }
        }

        /// `cpu`, `mem`, `swap` and `load` against `[quicklook]` `<field>_…`.
        package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
            switch field {
            case "cpu": return AlertThresholds.decoration(cpuPercent, limits, prefix: "cpu_")
            case "mem": return AlertThresholds.decoration(memPercent, limits, prefix: "mem_")
            case "swap": return AlertThresholds.decoration(swapPercent, limits, prefix: "swap_")
            case "load": return AlertThresholds.decoration(loadPercent, limits, prefix: "load_")
            default: return nil
            }
        }
    }

    private let cpuName = HostInfo.cpuName()

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let stat = refresh.value(of: CPUStatSource.self)
        let memory = refresh.value(of: MemorySource.self)
        let host = refresh.value(of: HostSource.self)
        let previous = stat.previous?.perCPU ?? []
        let frequencies = HostInfo.cpuFrequencies()
        return Stats(
            cpu: CPUPercentages(from: stat.previous?.all, to: stat.current.all),
            cpus: stat.current.perCPU.enumerated().map { number, ticks in
                PerCPUPlugin.CPU(
                    number: number, ticks: ticks,
                    split: CPUPercentages(from: number < previous.count ? previous[number] : nil, to: ticks))
            },
            memPercent: MemPlugin.Stats(memory: memory).percent,
            swapPercent: MemSwapPlugin.Stats(memory: memory).percent,
            load15: HostInfo.loadAverage().fifteen, logicalCores: host.logicalCPUs, physicalCores: host.physicalCores,
            cpuName: cpuName, currentHz: frequencies.current, maxHz: frequencies.max)
    }
}
