import GlancedStats
import Synchronization
import Testing

@Suite struct StatsCacheTests {
    @Test func concurrentCallersShareOneSample() async throws {
        let cache = StatsCache(collector: StatsCollector(configuration: PluginConfiguration(), plugins: [CPUPlugin.self]), interval: 60)
        let sequences = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { await cache.snapshot().sequence } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(sequences) == [1], "fifty concurrent callers, one sample")
        #expect(await cache.snapshot().sequence == 1, "still current within the interval")
    }

    @Test func aNewSampleIsTakenOnlyAfterTheIntervalAndOnlyWhenAsked() async throws {
        let cache = StatsCache(collector: StatsCollector(configuration: PluginConfiguration(), plugins: [MemPlugin.self]), interval: 0.2)
        #expect(cache.latest == nil, "nothing sampled before anyone asks")
        #expect(await cache.snapshot().sequence == 1)
        try await Task.sleep(for: .milliseconds(500))
        #expect(cache.latest?.sequence == 1, "no sampling while nobody polls")
        #expect(await cache.snapshot().sequence == 2)
    }

    @Test func freshSnapshotsAreHandedOutSynchronously() async throws {
        let cache = StatsCache(collector: StatsCollector(configuration: PluginConfiguration(), plugins: [MemPlugin.self]), interval: 60)
        _ = await cache.snapshot()
        let called = Mutex(false)
        cache.withSnapshot { _ in called.withLock { $0 = true } }
        #expect(called.withLock { $0 }, "the callback ran before withSnapshot returned")
    }

    @Test func getAllLeavesOutMonitorOnly() throws {
        let snapshot = StatsCollector(configuration: PluginConfiguration()).sample()
        let all = try JSONValueShim.keys(snapshot.all)
        #expect(all == PluginRegistry.names.filter { $0 != "monitor" })
        #expect(snapshot.document(for: "monitor") != nil)
    }
}

import GlancedTestSupport

private enum JSONValueShim {
    static func keys(_ bytes: [UInt8]) throws -> [String] {
        try JSONValue.parse(bytes).keys
    }
}
