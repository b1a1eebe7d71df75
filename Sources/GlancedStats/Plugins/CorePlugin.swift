/// `core`: physical and logical CPU counts.
package struct CorePlugin: StatsPlugin {
    package static let name = "core"

    /// The counts, fixed while the server runs.
    package struct Stats: PluginStats {
        package var physical: Int
        package var logical: Int

        /// Creates the value.
        package init(physical: Int, logical: Int) {
            self.physical = physical
            self.logical = logical
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                json.field("phys", physical)
                json.field("log", logical)
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let host = refresh.value(of: HostSource.self)
        return Stats(physical: host.physicalCores, logical: host.logicalCPUs)
    }
}
