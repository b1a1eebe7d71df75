package import GlancedSystem

/// `diskio`: one object per block device of `/proc/diskstats` that has seen I/O, with the bytes and
/// operations since the previous sample.
///
/// The first sample shows 0 for every delta, with `time_since_update` the int `1`. `[diskio] hide=`
/// regular expressions drop devices whose name they fully match.
package struct DiskIOPlugin: StatsPlugin {
    package static let name = "diskio"

    package static var inHistory: Bool { true }

    /// One device: its counters since boot and their increase since the previous sample.
    package struct Disk: Sendable, Equatable {
        package var counters: DiskCounters
        package var readBytesDelta: UInt64, writeBytesDelta: UInt64
        package var readCountDelta: UInt64, writeCountDelta: UInt64
        /// Milliseconds spent reading and writing since the previous sample.
        package var readTimeDelta: UInt64, writeTimeDelta: UInt64

        /// Creates the value.
        package init(
            counters: DiskCounters, readBytesDelta: UInt64, writeBytesDelta: UInt64, readCountDelta: UInt64,
            writeCountDelta: UInt64, readTimeDelta: UInt64 = 0, writeTimeDelta: UInt64 = 0
        ) {
            self.counters = counters
            self.readBytesDelta = readBytesDelta
            self.writeBytesDelta = writeBytesDelta
            self.readCountDelta = readCountDelta
            self.writeCountDelta = writeCountDelta
            self.readTimeDelta = readTimeDelta
            self.writeTimeDelta = writeTimeDelta
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
                // Glances 2 leaves out devices never read nor written (unused loop and ram devices); 3 and 4 list them.
                for disk in disks where !disk.counters.isUnused {
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
        for counters in all where !hide.hides(counters.name) {
            let old = previous[counters.name]
            disks.append(
                Disk(
                    counters: counters,
                    readBytesDelta: CounterDelta.between(old?.readBytes, counters.readBytes),
                    writeBytesDelta: CounterDelta.between(old?.writeBytes, counters.writeBytes),
                    readCountDelta: CounterDelta.between(old?.readCount, counters.readCount),
                    writeCountDelta: CounterDelta.between(old?.writeCount, counters.writeCount),
                    readTimeDelta: CounterDelta.between(old?.readTimeMs, counters.readTimeMs),
                    writeTimeDelta: CounterDelta.between(old?.writeTimeMs, counters.writeTimeMs)))
        }
        previous = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        lastTime = refresh.monotonic
        return Stats(disks: disks, interval: interval)
    }
}

extension DiskIOPlugin.Stats {
    /// 3.x: the 2.0 keys and `key`.
    package func writeGlances3(into json: inout JSONWriter) {
        json.array { json in
            for disk in disks {
                json.object { json in
                    json.timeSinceUpdate(interval)
                    json.field("disk_name", disk.counters.name)
                    json.field("read_count", disk.readCountDelta)
                    json.field("write_count", disk.writeCountDelta)
                    json.field("read_bytes", disk.readBytesDelta)
                    json.field("write_bytes", disk.writeBytesDelta)
                    json.listKey("disk_name")
                }
            }
        }
    }

    /// 4.x: counts, bytes and times (ms) as deltas with their gauges and rates, and the mean latency per
    /// operation (ms, from the rates, as Glances computes it).
    package func writeGlances4(into json: inout JSONWriter) {
        json.array { json in
            for disk in disks {
                let counters = disk.counters
                json.object { json in
                    json.field("read_time", disk.readTimeDelta)
                    json.field("write_time", disk.writeTimeDelta)
                    json.listKey("disk_name")
                    json.field("disk_name", counters.name)
                    json.timeSinceUpdate(interval)
                    json.counterTriple(
                        "read_count", delta: disk.readCountDelta, gauge: counters.readCount, interval: interval)
                    json.counterTriple(
                        "write_count", delta: disk.writeCountDelta, gauge: counters.writeCount, interval: interval)
                    json.counterTriple(
                        "read_bytes", delta: disk.readBytesDelta, gauge: counters.readBytes, interval: interval)
                    json.counterTriple(
                        "write_bytes", delta: disk.writeBytesDelta, gauge: counters.writeBytes, interval: interval)
                    json.field("read_time_gauge", counters.readTimeMs)
                    json.field("read_time_rate_per_sec", JSONWriter.ratePerSecond(disk.readTimeDelta, interval))
                    json.field("write_time_gauge", counters.writeTimeMs)
                    json.field("write_time_rate_per_sec", JSONWriter.ratePerSecond(disk.writeTimeDelta, interval))
                    json.field(
                        "read_latency",
                        Self.latency(time: disk.readTimeDelta, count: disk.readCountDelta, interval: interval))
                    json.field(
                        "write_latency",
                        Self.latency(time: disk.writeTimeDelta, count: disk.writeCountDelta, interval: interval))
                }
            }
        }
    }

    /// `int(time_rate / count_rate)`, 0 when no operation completed.
    private static func latency(time: UInt64, count: UInt64, interval: Double?) -> Int {
        let countRate = JSONWriter.ratePerSecond(count, interval)
        guard countRate > 0 else { return 0 }
        return Int((JSONWriter.ratePerSecond(time, interval) / countRate).rounded(.towardZero))
    }
}
