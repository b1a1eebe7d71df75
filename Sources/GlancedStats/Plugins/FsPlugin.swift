/// `fs`: not collected yet; answers its empty shape so that `getAllPlugins` is complete.
package struct FsPlugin: StatsPlugin {
    package static let name = "fs"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.array { _ in }
    }
}
