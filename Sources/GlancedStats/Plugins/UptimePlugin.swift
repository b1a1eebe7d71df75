import GlancedSystem

/// `uptime`: time since boot, as Python's `str(timedelta)` writes it without the fraction.
package struct UptimePlugin: StatsPlugin {
    package static let name = "uptime"

    /// Seconds since boot.
    package struct Stats: PluginStats {
        package var seconds: Double

        /// Creates the value.
        package init(seconds: Double) {
            self.seconds = seconds
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.value(UptimePlugin.format(seconds: seconds.isFinite && abs(seconds) < 1e15 ? Int(seconds) : 0))
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats { Stats(seconds: HostInfo.uptimeSeconds()) }

    /// `H:MM:SS`, `1 day, H:MM:SS` or `N days, H:MM:SS`.
    package static func format(seconds: Int) -> String {
        let seconds = max(0, seconds)
        let days = seconds / 86_400
        let rest = seconds % 86_400
        let clock = "\(rest / 3600):" + twoDigits(rest % 3600 / 60) + ":" + twoDigits(rest % 60)
        switch days {
        case 0: return clock
        case 1: return "1 day, " + clock
        default: return "\(days) days, " + clock
        }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
