import GlancedSystem

/// `psutilversion`: the version of the process library, libproc2's here, as a list of numbers.
package struct PsutilVersionPlugin: StatsPlugin {
    package static let name = "psutilversion"

    /// The version parts.
    package struct Stats: PluginStats {
        package var version: [Int]

        /// Creates the value.
        package init(version: [Int]) {
            self.version = version
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for part in version { json.value(part) }
            }
        }
    }

    private let version = HostInfo.libproc2Version()

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats { Stats(version: version) }
}

extension PsutilVersionPlugin.Stats {
    /// 4.x: a dotted string, `"4.0.2"`.
    package func writeGlances4(into json: inout JSONWriter) {
        json.value(version.map { "\($0)" }.joined(separator: "."))
    }
}
