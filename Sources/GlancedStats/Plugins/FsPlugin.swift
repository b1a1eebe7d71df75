package import GlancedSystem

/// `fs`: one object per mounted physical filesystem (not proc, sysfs, tmpfs, cgroup, overlay…), with
/// its size and use from `statvfs`.
///
/// `percent` is `used / (used + avail) × 100` rounded to 0.1, as df and psutil compute it. `[fs] allow=`
/// adds filesystem types to list; `[fs] hide=` drops mount points its regular expressions fully match.
package struct FsPlugin: StatsPlugin {
    package static let name = "fs"

    package static var inHistory: Bool { true }

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

extension FsPlugin.Stats {
    /// 3.x: the 2.0 keys and `key`.
    package func writeGlances3(into json: inout JSONWriter) {
        write(options: false, into: &json)
    }

    /// 4.x: as 3.x, plus the mount `options`.
    package func writeGlances4(into json: inout JSONWriter) {
        write(options: true, into: &json)
    }

    private func write(options: Bool, into json: inout JSONWriter) {
        json.array { json in
            for usage in mounts {
                json.object { json in
                    json.field("device_name", usage.mount.device)
                    json.field("fs_type", usage.mount.fsType)
                    json.field("mnt_point", usage.mount.mountPoint)
                    if options { json.field("options", usage.mount.options) }
                    json.field("size", usage.size)
                    json.field("used", usage.used)
                    json.field("free", usage.available)
                    json.field("percent", usage.percent)
                    json.listKey("mnt_point")
                }
            }
        }
    }

    /// `used` and `percent` of the file system mounted at `item`, against the `[fs]` thresholds.
    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        guard field == "used" || field == "percent", let usage = mounts.first(where: { $0.mount.mountPoint == item })
        else { return nil }
        return AlertThresholds.decoration(usage.percent, limits, prefix: "")
    }
}
