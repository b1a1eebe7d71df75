package import GlancedSystem

/// `batpercent`: the mean charge of the batteries, `[{"label": "Battery (%)", "value": 63}]`.
///
/// Every battery counts (Glances 2.11.1 counts only the first); the mean is truncated to an int, as
/// Glances' `int(sum / count)`. `[]` when there is no battery.
package struct BatPercentPlugin: StatsPlugin {
    package static let name = "batpercent"

    /// Glances 2.x only: 3.x and 4.x fold it into `sensors` (or dropped it) and their clients end on its key.
    package static var generations: Set<GlancesGeneration> { [.v2] }

    /// The label of the one entry, as Glances 2.0 names it.
    package static let label = "Battery (%)"

    /// The batteries of `/sys/class/power_supply`.
    package struct Stats: PluginStats {
        package var batteries: [Battery]

        /// Creates the value.
        package init(batteries: [Battery]) {
            self.batteries = batteries
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                if let mean = PowerSupplies.meanCapacity(of: batteries) {
                    json.object { json in
                        json.field("label", BatPercentPlugin.label)
                        json.field("value", mean)
                    }
                }
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(batteries: refresh.value(of: BatterySource.self))
    }
}
