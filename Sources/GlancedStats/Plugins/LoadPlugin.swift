import GlancedSystem

/// `load`: the 1, 5 and 15 minute load averages and the number of logical CPUs.
package struct LoadPlugin: StatsPlugin {
    package static let name = "load"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let load = HostInfo.loadAverage()
        json.object { json in
            json.field("min1", load.one)
            json.field("min5", load.five)
            json.field("min15", load.fifteen)
            json.field("cpucore", refresh.value(of: HostSource.self).logicalCPUs)
        }
    }
}
