import GlancedStats
import GlancedSync
import GlancedSystem
import Glibc
import Synchronization
import Testing

@Suite(.serialized) struct StatsCacheTests {
    @Test func concurrentCallersShareOneSample() async throws {
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [CPUPlugin.self]), interval: 60)
        let sequences = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { await cache.snapshot().sequence } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(sequences) == [1], "fifty concurrent callers, one sample")
        #expect(await cache.snapshot().sequence == 1, "still current within the interval")
    }

    @Test func aNewSampleIsTakenOnlyAfterTheIntervalAndOnlyWhenAsked() async throws {
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [MemPlugin.self]), interval: 0.2)
        #expect(cache.latest == nil, "nothing sampled before anyone asks")
        #expect(await cache.snapshot().sequence == 1)
        try await Task.sleep(for: .milliseconds(500))
        #expect(cache.latest?.sequence == 1, "no sampling while nobody polls")
        #expect(await cache.snapshot().sequence == 2)
    }

    @Test func callersDuringARefreshAreAnsweredFromThePreviousSample() async throws {
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [GatedPlugin.self]), interval: 3)
        #expect(await cache.snapshot().sequence == 1)
        // Out of date, but less than two intervals old (however late a loaded machine wakes us).
        try await Task.sleep(for: .milliseconds(3100))
        GatedPlugin.closed.store(true, ordering: .sequentiallyConsistent)
        GatedPlugin.entered.store(false, ordering: .sequentiallyConsistent)
        let trigger = Task { await cache.snapshot().sequence }
        while !GatedPlugin.entered.load(ordering: .sequentiallyConsistent) {
            try await Task.sleep(for: .milliseconds(1))
        }
        let during = Locked(0)
        cache.withSnapshot { snapshot in during.withLock { $0 = snapshot.sequence } }
        #expect(during.withLock { $0 } == 1, "answered at once from the previous sample while sample 2 runs")
        GatedPlugin.closed.store(false, ordering: .sequentiallyConsistent)
        #expect(await trigger.value == 2, "the caller that started the sample waits for it")
        #expect(await cache.snapshot().sequence == 2)
    }

    @Test func whileClientsPollTheNextSampleStartsBeforeTheIntervalEnds() async throws {
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [GatedPlugin.self]), interval: 4)
        // A first sample that takes two seconds: the next one starts up to two seconds before the interval ends.
        GatedPlugin.delay.store(2000, ordering: .sequentiallyConsistent)
        #expect(await cache.snapshot().sequence == 1)
        GatedPlugin.delay.store(0, ordering: .sequentiallyConsistent)
        // Into those two seconds, with room for a late wake-up.
        try await Task.sleep(for: .milliseconds(2200))
        let answered = Locked(0)
        cache.withSnapshot { snapshot in answered.withLock { $0 = snapshot.sequence } }
        #expect(answered.withLock { $0 } == 1, "still current: answered at once")
        var waited = 0
        while cache.latest?.sequence != 2 && waited < 10_000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 10
        }
        #expect(cache.latest?.sequence == 2, "the next sample was taken before anyone had to wait for it")
        #expect(await cache.snapshot().sequence == 2)
    }

    @Test func freshSnapshotsAreHandedOutSynchronously() async throws {
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [MemPlugin.self]), interval: 60)
        _ = await cache.snapshot()
        let called = Locked(false)
        cache.withSnapshot { _ in called.withLock { $0 = true } }
        #expect(called.withLock { $0 }, "the callback ran before withSnapshot returned")
    }

    @Test func getAllLeavesOutMonitorOnly() throws {
        let sample = StatsCollector(configuration: PluginConfiguration()).sample().sample
        #expect(sample.names.filter { sample.names(in: .v2).contains($0) } == PluginRegistry.names)
        let carried = sample.names.indices.filter { sample.carries($0, in: .v2) }
        #expect(carried.map { sample.names[$0] } == PluginRegistry.names.filter { $0 != "monitor" })
        // getAll is each carried plugin's own rendering under its name, in wire order: built here from the parts.
        var expected = Array("{".utf8)
        for (index, position) in carried.enumerated() {
            if index > 0 { expected += Array(", ".utf8) }
            expected += Array("\"\(sample.names[position])\": ".utf8) + Glances2JSON.plugin(sample, at: position)
        }
        expected += Array("}".utf8)
        #expect(Glances2JSON.all(sample) == expected)
        #expect(sample.stats(of: MonitorPlugin.self) != nil)
    }

    @Test func historyKeepsTheLastFramesInOrderEachMadeWithThePreviousOne() async throws {
        // The recorder sees the frame before (to share its series lists); the ring keeps the newest, oldest first.
        let previousSeen = Locked([Int?]())
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [LoadPlugin.self]), interval: 0,
            historySize: 3
        ) { sample, previous in
            previousSeen.withLock { $0.append(previous?.sequence) }
            return HistoryFrame(sequence: sample.sequence, epoch: sample.epoch, columns: [])
        }
        for expected in 1...5 {
            #expect(await cache.snapshot().sequence == expected)
        }
        #expect(cache.history.map(\.sequence) == [3, 4, 5])
        #expect(previousSeen.withLock { $0 } == [nil, 1, 2, 3, 4])
        // Without a recorder there is no history.
        let none = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration(), plugins: [LoadPlugin.self]), interval: 0)
        _ = await none.snapshot()
        #expect(none.history.isEmpty && none.historySize == 0)
    }
}

/// A plugin whose update waits while `closed` is set, and `delay` milliseconds more: keeps a sample in progress
/// for as long as a test needs.
private struct GatedPlugin: StatsPlugin {
    static let name = "gated"
    static let closed = Atomic(false)
    /// Set when an update has started.
    static let entered = Atomic(false)
    /// Milliseconds each update takes besides the gate.
    static let delay = Atomic(0)

    init(configuration: PluginConfiguration) {}

    struct Stats: PluginStats {
        func writeGlances2(into json: inout JSONWriter) { json.value(0) }
    }

    mutating func update(_ refresh: Refresh) -> Stats {
        Self.entered.store(true, ordering: .sequentiallyConsistent)
        while Self.closed.load(ordering: .sequentiallyConsistent) { usleep(1000) }
        usleep(useconds_t(Self.delay.load(ordering: .sequentiallyConsistent) * 1000))
        return Stats()
    }
}
