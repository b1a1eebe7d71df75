package import GlancedSystem
import Logging

/// libsensors' temperatures and fan speeds, read once per sample (sensors).
///
/// libsensors is initialised at the first read. When that fails, the source says so once in the log
/// and yields no readings from then on (the other sensors — hddtemp disks, batteries — still show).
package final class SensorChipsSource: SharedSource {
    private var reportedFailure = false

    /// Creates the source; libsensors is initialised at the first read.
    package init(configuration: PluginConfiguration) {}

    /// This sample's readings: temperatures, then fans; `[]` when libsensors is unavailable.
    package func read(_ refresh: Refresh) -> [SensorReading] {
        switch SensorChips.read() {
        case .success(let readings):
            return readings
        case .failure(let error):
            if !reportedFailure {
                reportedFailure = true
                refresh.logger.warning(
                    "libsensors initialisation failed: no temperatures or fan speeds",
                    metadata: ["sensors.error": "\(error.message)", "sensors.code": "\(error.code)"])
            }
            return []
        }
    }
}

/// The batteries under `/sys/class/power_supply`, read once per sample (batpercent, sensors).
package final class BatterySource: SharedSource {
    private var supplies = PowerSupplies()

    /// Creates the source.
    package init(configuration: PluginConfiguration) {}

    /// This sample's batteries, sorted by name.
    package func read(_ refresh: Refresh) -> [Battery] {
        supplies.batteries()
    }
}
