/// `help`: Glances' help screen has no stats; the plugin exists because clients list it.
package struct HelpPlugin: StatsPlugin {
    package static let name = "help"

    /// Nothing: written as `null`.
    package struct Stats: PluginStats {

        /// Creates the value.
        package init() {}
        package func writeGlances2(into json: inout JSONWriter) {
            json.null()
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats { Stats() }
}
