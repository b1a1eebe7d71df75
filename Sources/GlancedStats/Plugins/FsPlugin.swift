package import GlancedSystem

/// `fs`: one object per mounted physical filesystem (not proc, sysfs, tmpfs, cgroup, overlay…), with
/// its size and use from `statvfs`.
///
/// `percent` is `used / (used + avail) × 100` rounded to 0.1, as df and psutil compute it. `[fs] allow=`
/// adds filesystem types to list; `[fs] hide=` drops mount points its regular expressions fully match.
package struct FsPlugin: StatsPlugin {
    package static let name = "fs"

    package static var defaultOptions: [ConfigSection.Entry] { OptionCheck.levels([""], "50", "70", "90") }

    /// Every filesystem shown, in mount order.
    package struct Stats: PluginStats {
        package var mounts: [MountUsage]

        /// Creates the value.
        package init(mounts: [MountUsage]) {
            self.mounts = mounts
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for usage in mounts {
                    json.object { json in
                        json.field("device_name", usage.mount.device)
                        json.field("fs_type", usage.mount.fsType)
                        json.field("mnt_point", usage.mount.mountPoint)
                        json.field("size", usage.size)
                        json.field("used", usage.used)
                        json.field("free", usage.available)
                        json.field("percent", usage.percent)
                    }
                }
            }
        }
    }

    package static func reads(_ key: String) -> Bool {
        key == "hide" || key == "allow" || defaultOptions.contains { $0.key == key }
    }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        try OptionCheck.numbers(in: section, keys: defaultOptions.map(\.key), section: name)
        try OptionCheck.patternList(in: section, key: "hide", section: name)
    }

    private var reader: MountUsageReader
    private let hide: HideList

    package init(configuration: PluginConfiguration) {
        let section = configuration.section("fs")
        let allowed = (section["allow"] ?? "").split(separator: ",").map {
            String($0.filter { $0 != " " && $0 != "\t" })
        }
        reader = MountUsageReader(extraTypes: allowed.filter { !$0.isEmpty })
        hide = HideList(section["hide"])
    }

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(mounts: reader.read().filter { !hide.hides($0.mount.mountPoint) })
    }
}
