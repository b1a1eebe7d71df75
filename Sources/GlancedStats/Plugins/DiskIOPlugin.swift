package import GlancedSystem

/// `diskio`: one object per block device of `/proc/diskstats` that has seen I/O, with the bytes and
/// operations since the previous sample.
///
/// The first sample shows 0 for every delta, with `time_since_update` the int `1`. `[diskio] hide=`
/// regular expressions drop devices whose name they fully match.
package struct DiskIOPlugin: StatsPlugin {
    package static let name = "diskio"

    /// One device: its counters since boot and their increase since the previous sample.
    package struct Disk: Sendable, Equatable {
        package var counters: DiskCounters
        package var readBytesDelta: UInt64, writeBytesDelta: UInt64
        package var readCountDelta: UInt64, writeCountDelta: UInt64

        /// Creates the value.
        package init(
            counters: DiskCounters, readBytesDelta: UInt64, writeBytesDelta: UInt64, readCountDelta: UInt64,
            writeCountDelta: UInt64
        ) {
            self.counters = counters
            self.readBytesDelta = readBytesDelta
            self.writeBytesDelta = writeBytesDelta
            self.readCountDelta = readCountDelta
            self.writeCountDelta = writeCountDelta
        }
    }

    /// Every device shown, in `/proc/diskstats` order.
    package struct Stats: PluginStats {
        package var disks: [Disk]
        /// Seconds since the previous sample; nil on the first.
        package var interval: Double?

        /// Creates the value.
        package init(disks: [Disk], interval: Double?) {
            self.disks = disks
            self.interval = interval
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for disk in disks {
                    json.object { json in
                        json.field("disk_name", disk.counters.name)
                        json.field("read_bytes", disk.readBytesDelta)
                        json.field("write_bytes", disk.writeBytesDelta)
                        json.field("read_count", disk.readCountDelta)
                        json.field("write_count", disk.writeCountDelta)
                        json.timeSinceUpdate(interval)
                    }
                }
            }
        }
    }

    package static func reads(_ key: String) -> Bool { key == "hide" }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        try OptionCheck.patternList(in: section, key: "hide", section: name)
    }

    private var reader = DiskStatsReader()
    private let hide: HideList
    private var previous: [String: DiskCounters] = [:]
    private var lastTime: Double?

    package init(configuration: PluginConfiguration) {
        hide = HideList(configuration.section("diskio")["hide"])
    }

    package mutating func update(_ refresh: Refresh) -> Stats {
        let all = reader.read()
        let interval = lastTime.map { refresh.monotonic - $0 }
        var disks: [Disk] = []
        for counters in all where !counters.isUnused && !hide.hides(counters.name) {
            let old = previous[counters.name]
            disks.append(
                Disk(
                    counters: counters,
                    readBytesDelta: CounterDelta.between(old?.readBytes, counters.readBytes),
                    writeBytesDelta: CounterDelta.between(old?.writeBytes, counters.writeBytes),
                    readCountDelta: CounterDelta.between(old?.readCount, counters.readCount),
                    writeCountDelta: CounterDelta.between(old?.writeCount, counters.writeCount)))
        }
        previous = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        lastTime = refresh.monotonic
        return Stats(disks: disks, interval: interval)
    }
}
