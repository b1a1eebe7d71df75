package import GlancedSystem

/// `hddtemp`: the disks the hddtemp daemon reports, `[{"label": "sda", "value": "35"}, …]`.
///
/// `value` is the temperature field as the daemon sent it, a string (`"35"`, `"SLP"`, `"ERR"`); `[]`
/// when the daemon is absent.
package struct HddtempPlugin: StatsPlugin {
    /// The wire name.
    package static let name = "hddtemp"

    /// Creates the plugin; it reads no configuration of its own.
    package init(configuration: PluginConfiguration) {}

    /// Writes this sample's list.
    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        Self.write(refresh.value(of: HddtempSource.self), into: &json)
    }

    /// Writes `disks` as this plugin's JSON.
    package static func write(_ disks: [HddtempDisk], into json: inout JSONWriter) {
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
