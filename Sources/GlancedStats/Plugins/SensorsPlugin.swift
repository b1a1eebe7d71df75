package import GlancedSystem

/// `sensors`: every sensor in one list of `{label, value, type, unit}`.
///
/// In this order: libsensors temperatures (`value` int °C, `temperature_core`), fans (`value` int rpm,
/// `fan_speed`), the hddtemp disks (`value` the string the daemon sent, `temperature_hdd`), and the
/// batteries (`battery`): one entry, the `batpercent` entry (`"Battery (%)"`, the mean charge), as the
/// Glances 2.0 server adds it. Values are truncated to ints as Glances' `int(value)`.
package struct SensorsPlugin: StatsPlugin {
    package static let name = "sensors"

    package static var defaultOptions: [ConfigSection.Entry] {
        OptionCheck.levels(["temperature_core"], "60", "70", "80")
            + OptionCheck.levels(["temperature_hdd"], "45", "52", "60")
            + OptionCheck.levels(["battery"], "80", "90", "95")
    }

    /// This sample's sensors: libsensors' readings, the hddtemp daemon's disks, the batteries.
    package struct Stats: PluginStats {
        /// libsensors' readings, in chip order; temperatures are written before fans whatever their order.
        package var readings: [SensorReading]
        /// The hddtemp daemon's disks.
        package var disks: [HddtempDisk]
        /// The batteries, summed up in one entry.
        package var batteries: [Battery]

        /// Creates the value.
        package init(readings: [SensorReading], disks: [HddtempDisk], batteries: [Battery]) {
            self.readings = readings
            self.disks = disks
            self.batteries = batteries
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for kind in [SensorReading.Kind.temperature, .fan] {
                    for reading in readings where reading.kind == kind {
                        json.object { json in
                            json.field("label", reading.label)
                            json.field("value", SensorsPlugin.integer(reading.value))
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
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(
            readings: refresh.value(of: SensorChipsSource.self), disks: refresh.value(of: HddtempSource.self),
            batteries: refresh.value(of: BatterySource.self))
    }

    /// `value` truncated toward zero, as Python's `int()`; 0 when it is not finite or out of range.
    package static func integer(_ value: Double) -> Int {
        guard value.isFinite, abs(value) < 1e15 else { return 0 }
        return Int(value.rounded(.towardZero))
    }
}

extension SensorsPlugin.Stats {
    /// 3.x: every entry with `unit` and `key` (`label`); temperatures and fans with `warning` and `critical`
    /// (null: libsensors' limits are not read); hddtemp disks with a float value when the daemon sent a number;
    /// one `BAT <name>` entry per battery.
    package func writeGlances3(into json: inout JSONWriter) {
        json.array { json in
            for kind in [SensorReading.Kind.temperature, .fan] {
                for reading in readings where reading.kind == kind {
                    json.object { json in
                        json.field("label", reading.label)
                        json.field("value", SensorsPlugin.integer(reading.value))
                        json.field("unit", kind == .temperature ? "C" : "R")
                        json.key("warning")
                        json.null()
                        json.key("critical")
                        json.null()
                        json.field("type", kind == .temperature ? "temperature_core" : "fan_speed")
                        json.listKey("label")
                    }
                }
            }
            for disk in disks {
                json.object { json in
                    json.field("label", disk.label)
                    if let number = Double(disk.value), number.isFinite {
                        json.field("value", number)
                    } else {
                        json.field("value", disk.value)
                    }
                    json.field("unit", "C")
                    json.field("type", "temperature_hdd")
                    json.listKey("label")
                }
            }
            for battery in batteries {
                json.object { json in
                    json.field("label", "BAT " + battery.name)
                    json.field("value", battery.capacity)
                    json.field("unit", "%")
                    json.field("type", "battery")
                    json.listKey("label")
                }
            }
        }
    }

    /// `value` of the sensor labelled `item` against `[sensors]` `<type>_…` (a battery by its charge used).
    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        guard field == "value", let item else { return nil }
        if let reading = readings.first(where: { $0.label == item }), reading.kind == .temperature {
            return AlertThresholds.decoration(reading.value, limits, prefix: "temperature_core_")
        }
        if let disk = disks.first(where: { $0.label == item }), let value = Double(disk.value) {
            return AlertThresholds.decoration(value, limits, prefix: "temperature_hdd_")
        }
        if let battery = batteries.first(where: { "BAT " + $0.name == item }) {
            return AlertThresholds.decoration(Double(100 - battery.capacity), limits, prefix: "battery_")
        }
        return nil
    }
}
