package import GlancedSystem

/// `percpu`: the `cpu` split for each logical CPU, by number.
package struct PerCPUPlugin: StatsPlugin {
    package static let name = "percpu"

    package static var inHistory: Bool { true }

    package static var defaultOptions: [ConfigSection.Entry] {
        OptionCheck.levels(["user", "system", "iowait"], "50", "70", "90")
    }

    /// One CPU: its ticks since boot and the split since the previous sample.
    package struct CPU: Sendable, Equatable {
        package var number: Int
        package var ticks: CPUTicks
        package var split: CPUPercentages

        /// Creates the value.
        package init(number: Int, ticks: CPUTicks, split: CPUPercentages) {
            self.number = number
            self.ticks = ticks
            self.split = split
        }
    }

    /// Every logical CPU of `/proc/stat`, in order.
    package struct Stats: PluginStats {
        package var cpus: [CPU]

        /// Creates the value.
        package init(cpus: [CPU]) {
            self.cpus = cpus
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for cpu in cpus {
                    json.object { json in
                        json.field("cpu_number", cpu.number)
                        json.field("total", CPUPercentages.round1(100 - cpu.split.idle))
                        cpu.split.writeModes(into: &json)
                        json.field("guest", cpu.split.guest)
                        json.field("guest_nice", cpu.split.guestNice)
                    }
                }
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let stat = refresh.value(of: CPUStatSource.self)
        let previous = stat.previous?.perCPU ?? []
        return Stats(
            cpus: stat.current.perCPU.enumerated().map { number, ticks in
                CPU(
                    number: number, ticks: ticks,
                    split: CPUPercentages(from: number < previous.count ? previous[number] : nil, to: ticks))
            })
    }
}

extension PerCPUPlugin.Stats {
    /// 3.x: each entry with `key` (`cpu_number`).
    package func writeGlances3(into json: inout JSONWriter) {
        write(generation: .v3, into: &json)
    }

    /// 4.x: as 3.x, plus `dpc` and `interrupt` (Windows-only figures: null).
    package func writeGlances4(into json: inout JSONWriter) {
        write(generation: .v4, into: &json)
    }

    private func write(generation: GlancesGeneration, into json: inout JSONWriter) {
        json.array { json in
            for cpu in cpus { cpu.write(generation, into: &json) }
        }
    }
}

extension PerCPUPlugin.CPU {
    /// One CPU's 3.x or 4.x entry (also inside quicklook's `percpu`).
    package func write(_ generation: GlancesGeneration, into json: inout JSONWriter) {
        json.object { json in
            json.listKey("cpu_number")
            json.field("cpu_number", number)
            json.field("total", CPUPercentages.round1(100 - split.idle))
            json.field("user", split.user)
            json.field("system", split.system)
            json.field("idle", split.idle)
            json.field("nice", split.nice)
            json.field("iowait", split.iowait)
            json.field("irq", split.irq)
            json.field("softirq", split.softirq)
            json.field("steal", split.steal)
            json.field("guest", split.guest)
            json.field("guest_nice", split.guestNice)
            if generation >= .v4 {
                json.key("dpc")
                json.null()
                json.key("interrupt")
                json.null()
            }
        }
    }
}
