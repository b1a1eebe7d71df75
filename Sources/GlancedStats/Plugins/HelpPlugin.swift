/// `help`: no stats; the client draws its help screen itself. Always `null`.
package struct HelpPlugin: StatsPlugin {
    package static let name = "help"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.null()
    }
}
