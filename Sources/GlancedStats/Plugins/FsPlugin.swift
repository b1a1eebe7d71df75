import GlancedSystem

/// `fs`: one object per mounted physical filesystem (not proc, sysfs, tmpfs, cgroup, overlay…), with
/// its size and use from `statvfs`.
///
/// `percent` is `used / (used + avail) × 100` rounded to 0.1, as df and psutil compute it. `[fs] allow=`
/// adds filesystem types to list; `[fs] hide=` drops mount points its regular expressions fully match.
package struct FsPlugin: StatsPlugin {
    package static let name = "fs"

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

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let mounts = reader.read()
        json.array { json in
            for usage in mounts where !hide.hides(usage.mount.mountPoint) {
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
