package import GlancedSystem

/// `hddtemp`: the disks the hddtemp daemon reports, `[{"label": "sda", "value": "35"}, …]`.
///
/// `value` is the temperature field as the daemon sent it, a string (`"35"`, `"SLP"`, `"ERR"`); `[]`
/// when the daemon is absent. `[hddtemp] host` and `port` say where the daemon listens.
package struct HddtempPlugin: StatsPlugin {
    package static let name = "hddtemp"

    /// Glances 2.x only: 3.x and 4.x fold it into `sensors` (or dropped it) and their clients end on its key.
    package static var generations: Set<GlancesGeneration> { [.v2] }

    /// The daemon's disks, in its order.
    package struct Stats: PluginStats {
        package var disks: [HddtempDisk]

        /// Creates the value.
        package init(disks: [HddtempDisk]) {
            self.disks = disks
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for disk in disks {
                    json.object { json in
                        json.field("label", disk.label)
                        json.field("value", disk.value)
                    }
                }
            }
        }
    }

    package static func reads(_ key: String) -> Bool { key == "host" || key == "port" }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        guard let entry = section.entry("port") else { return }
        guard let port = Int(entry.value), (1...65535).contains(port) else {
            throw ConfigProblem(line: entry.line, message: "[hddtemp] port: '\(entry.value)' is not a port")
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(disks: refresh.value(of: HddtempSource.self))
    }
}
