/// `core`: physical cores and logical CPUs.
package struct CorePlugin: StatsPlugin {
    package static let name = "core"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let host = refresh.value(of: HostSource.self)
        json.object { json in
            json.field("phys", host.physicalCores)
            json.field("log", host.logicalCPUs)
        }
    }
}
