import GlancedSystem

/// `load`: the 1, 5 and 15 minute load averages and the number of logical CPUs.
package struct LoadPlugin: StatsPlugin {
    package static let name = "load"

    package static var inHistory: Bool { true }

    package static var defaultOptions: [ConfigSection.Entry] { OptionCheck.levels([""], "0.7", "1.0", "5.0") }

    /// `/proc/loadavg`'s three averages.
    package struct Stats: PluginStats {
        package var one: Double, five: Double, fifteen: Double
        package var cores: Int

        /// Creates the value.
        package init(one: Double, five: Double, fifteen: Double, cores: Int) {
            self.one = one
            self.five = five
            self.fifteen = fifteen
            self.cores = cores
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                json.field("min1", one)
                json.field("min5", five)
                json.field("min15", fifteen)
                json.field("cpucore", cores)
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let load = HostInfo.loadAverage()
        return Stats(
            one: load.one, five: load.five, fifteen: load.fifteen, cores: refresh.value(of: HostSource.self).logicalCPUs
        )
    }
}

extension LoadPlugin.Stats {
    /// `min1`, `min5` and `min15` per core against the `[load]` thresholds (which are per core).
    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        let value: Double
        switch field {
        case "min1": value = one
        case "min5": value = five
        case "min15": value = fifteen
        default: return nil
        }
        return AlertThresholds.decoration(value / Double(max(cores, 1)), limits, prefix: "")
    }
}
