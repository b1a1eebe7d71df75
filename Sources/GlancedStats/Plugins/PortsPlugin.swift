/// `ports` (Glances 3.x and 4.x): the ports and URLs to scan; glanced scans none, so always `[]`.
///
/// Sent because a 4.x client otherwise shows its own configuration's `DefaultGateway  Scanning` for ever.
package struct PortsPlugin: StatsPlugin {
    package static let name = "ports"

    package static var generations: Set<GlancesGeneration> { [.v3, .v4] }

    /// Nothing scanned: an empty list.
    package struct Stats: PluginStats {
        /// Creates the value.
        package init() {}

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { _ in }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats { Stats() }
}
