/// `hddtemp`: not collected yet; answers its empty shape so that `getAllPlugins` is complete.
package struct HddtempPlugin: StatsPlugin {
    package static let name = "hddtemp"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.array { _ in }
    }
}
