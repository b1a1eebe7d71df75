package import GlancedSystem

/// `sensors`: every sensor in one list of `{label, value, type}`.
///
/// In this order: libsensors temperatures (`value` int °C, `temperature_core`), fans (`value` int rpm,
/// `fan_speed`), the hddtemp disks (`value` the string the daemon sent, `temperature_hdd`), and the
/// batteries (`battery`): one entry, the `batpercent` entry (`"Battery (%)"`, the mean charge), as the
/// Glances 2.0 server adds it. Values are truncated to ints as Glances' `int(value)`.
package struct SensorsPlugin: StatsPlugin {
    /// The wire name.
    package static let name = "sensors"

    /// Creates the plugin; it reads no configuration of its own.
    package init(configuration: PluginConfiguration) {}

    /// Writes this sample's list.
    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        Self.write(
            readings: refresh.value(of: SensorChipsSource.self),
            disks: refresh.value(of: HddtempSource.self),
            batteries: refresh.value(of: BatterySource.self),
            into: &json
        )
    }

    /// Writes the merged list.
    ///
    /// - Parameters:
    ///   - readings: libsensors' readings; temperatures are written before fans whatever their order.
    ///   - disks: the hddtemp daemon's disks.
    ///   - batteries: the batteries, summed up in one entry.
    ///   - json: where the list goes.
    package static func write(
        readings: [SensorReading],
        disks: [HddtempDisk],
        batteries: [Battery],
        into json: inout JSONWriter
    ) {
        json.array { json in
            for kind in [SensorReading.Kind.temperature, .fan] {
                for reading in readings where reading.kind == kind {
                    json.object { json in
                        json.field("label", reading.label)
                        json.field("value", integer(reading.value))
                        json.field("type", kind == .temperature ? "temperature_core" : "fan_speed")
                        json.field("unit", kind == .temperature ? "C" : "rpm")
                    }
                }
            }
            for disk in disks {
                json.object { json in
                    json.field("label", disk.label)
                    json.field("value", disk.value)
                    json.field("type", "temperature_hdd")
                    json.field("unit", "C")
                }
            }
            if let mean = PowerSupplies.meanCapacity(of: batteries) {
                json.object { json in
                    json.field("label", BatPercentPlugin.label)
                    json.field("value", mean)
                    json.field("type", "battery")
                    json.field("unit", "%")
                }
            }
        }
    }

    /// `value` truncated toward zero, as Python's `int()`; 0 when it is not finite or out of range.
    private static func integer(_ value: Double) -> Int {
        guard value.isFinite, abs(value) < 1e15 else { return 0 }
        return Int(value.rounded(.towardZero))
    }
}
