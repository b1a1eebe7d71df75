import GlancedSystem

/// `uptime`: time since boot, as Python prints a `timedelta` without its fraction: `"1 day, 2:03:04"`.
package struct UptimePlugin: StatsPlugin {
    package static let name = "uptime"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.value(Self.format(seconds: Int(HostInfo.uptimeSeconds())))
    }

    /// `seconds` in Python's `str(timedelta)` form, fraction dropped.
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
