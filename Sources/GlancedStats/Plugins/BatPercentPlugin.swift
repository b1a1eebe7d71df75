package import GlancedSystem

/// `batpercent`: the mean charge of the batteries, `[{"label": "Battery (%)", "value": 63}]`.
///
/// Every battery counts (Glances 2.11.1 counts only the first); the mean is truncated to an int, as
/// Glances' `int(sum / count)`. `[]` when there is no battery.
package struct BatPercentPlugin: StatsPlugin {
    /// The wire name.
    package static let name = "batpercent"

    /// The label of the one entry, as Glances 2.0 names it.
    package static let label = "Battery (%)"

    /// Creates the plugin; it reads no configuration of its own.
    package init(configuration: PluginConfiguration) {}

    /// Writes this sample's list.
    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        Self.write(refresh.value(of: BatterySource.self), into: &json)
    }

    /// Writes the entry for `batteries` as this plugin's JSON.
    package static func write(_ batteries: [Battery], into json: inout JSONWriter) {
        json.array { json in
            if let mean = PowerSupplies.meanCapacity(of: batteries) {
                json.object { json in
                    json.field("label", label)
                    json.field("value", mean)
                }
            }
        }
    }
}
