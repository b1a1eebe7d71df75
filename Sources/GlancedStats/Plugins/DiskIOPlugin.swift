import GlancedSystem

/// `diskio`: one object per block device and partition of `/proc/diskstats`, with the bytes read and
/// written since the previous sample.
///
/// Devices never read nor written (unused loop and ram devices) are left out. On the first sample the
/// deltas are 0 and `time_since_update` is the int `1`. `[diskio] hide=` drops matching device names.
package struct DiskIOPlugin: StatsPlugin {
    package static let name = "diskio"

    private var reader = DiskStatsReader()
    private let hide: HideList
    private var previous: [String: DiskCounters] = [:]
    private var lastTime: Double?

    package init(configuration: PluginConfiguration) {
        hide = HideList(configuration.section("diskio")["hide"])
    }

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let disks = reader.read()
        let interval = lastTime.map { refresh.monotonic - $0 }
        let before = previous
        json.array { json in
            for disk in disks where !disk.isUnused && !hide.hides(disk.name) {
                let old = before[disk.name]
                json.object { json in
                    json.field("disk_name", disk.name)
                    json.field("read_bytes", CounterDelta.between(old?.readBytes, disk.readBytes))
                    json.field("write_bytes", CounterDelta.between(old?.writeBytes, disk.writeBytes))
                    json.field("read_count", CounterDelta.between(old?.readCount, disk.readCount))
                    json.field("write_count", CounterDelta.between(old?.writeCount, disk.writeCount))
                    json.key("time_since_update")
                    if let interval { json.value(interval) } else { json.value(1) }
                }
            }
        }
        previous = Dictionary(disks.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        lastTime = refresh.monotonic
    }
}
