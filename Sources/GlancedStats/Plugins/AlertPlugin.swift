/// `alert`: not collected yet; answers its empty shape so that `getAllPlugins` is complete.
package struct AlertPlugin: StatsPlugin {
    package static let name = "alert"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.array { _ in }
    }
}
