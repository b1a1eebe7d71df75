/// `sensors`: not collected yet; answers its empty shape so that `getAllPlugins` is complete.
package struct SensorsPlugin: StatsPlugin {
    package static let name = "sensors"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.array { _ in }
    }
}
