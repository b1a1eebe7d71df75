package import GlancedSystem

/// `percpu`: the `cpu` split for each logical CPU, by number.
package struct PerCPUPlugin: StatsPlugin {
    package static let name = "percpu"

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
