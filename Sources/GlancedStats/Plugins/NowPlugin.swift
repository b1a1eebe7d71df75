import GlancedSystem

/// `now`: the server's local time when the sample was taken, `"YYYY-MM-DD HH:MM:SS"`.
package struct NowPlugin: StatsPlugin {
    package static let name = "now"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.value(HostInfo.localTimeString(epoch: refresh.epoch))
    }
}
