import GlancedSystem

/// `psutilversion`: the version of the process-collection library, here libproc2, e.g. `[4, 0, 2]`.
package struct PsutilVersionPlugin: StatsPlugin {
    package static let name = "psutilversion"

    private let version = HostInfo.libproc2Version()

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        json.array { json in
            for part in version { json.value(part) }
        }
    }
}
