import GlancedHTTP
import GlancedServer
import GlancedStats
import GlancedTestSupport
import Glibc
import Synchronization
import Testing

/// A plugin whose sampling takes as long as the test says: a stand-in for a slow `/proc`, a costly monitor
/// regular expression or a hung mount.
struct SlowPlugin: StatsPlugin {
    static let name = "slow"
    /// Milliseconds each sample sleeps.
    static let delay = Atomic(0)
    /// Samples taken so far.
    static let samples = Atomic(0)

    init(configuration: PluginConfiguration) {}

    struct Stats: PluginStats {
        var number: Int
        func writeGlances2(into json: inout JSONWriter) { json.value(number) }
    }

    mutating func update(_ refresh: Refresh) -> Stats {
        usleep(useconds_t(Self.delay.load(ordering: .sequentiallyConsistent) * 1000))
        return Stats(number: Self.samples.add(1, ordering: .sequentiallyConsistent).newValue)
    }
}

/// A sample that takes long never holds replies longer than the cache's `staleAfter`: calls are then
/// answered from the previous sample, and from the new one once it is there.
@Suite(.serialized) struct LocalFaultSlowSampleTests {
    /// Calls `method` through the responder; returns the JSON string and the seconds it took.
    static func call(_ responder: RPCResponder, _ method: String) async throws -> (String, Double) {
        let started = monotonicNow()
        let response: HTTPResponse = await withCheckedContinuation { continuation in
            responder.respond(to: HTTPRequest(method: "POST", path: "/RPC2", body: methodCall(method))) {
                continuation.resume(returning: $0)
            }
        }
        let text = try #require(RPCResult(response.body).string)
        return (text, monotonicNow() - started)
    }

    @Test func aSlowSampleDelaysRepliesByAtMostStaleAfter() async throws {
        SlowPlugin.delay.store(0, ordering: .sequentiallyConsistent)
        let collector = StatsCollector(configuration: PluginConfiguration(), plugins: [SlowPlugin.self])
        let cache = StatsCache(collector: collector, interval: 0.05, staleAfter: 0.3)
        let methods = GlancesMethods(plugins: cache.names(in: .v2), config: .defaults)
        let responder = RPCResponder(methods: methods, cache: cache, maxBodyBytes: 65_536)

        let (first, _) = try await Self.call(responder, "getSlow")
        // Sampling now takes 3 s: the next calls get the previous sample after 0.3 s.
        SlowPlugin.delay.store(3_000, ordering: .sequentiallyConsistent)
        usleep(100_000)
        let (stale, waited) = try await Self.call(responder, "getSlow")
        #expect(stale == first)
        #expect(waited >= 0.25 && waited < timeLimit(1.5), "answered after \(waited) s")
        let (all, waitedForAll) = try await Self.call(responder, "getAll")
        #expect(all == "{\"slow\": \(first)}")
        #expect(waitedForAll < timeLimit(1.5))
        // Once the slow sample is done, calls get it.
        SlowPlugin.delay.store(0, ordering: .sequentiallyConsistent)
        usleep(3_000_000)
        var fresh = first
        let deadline = monotonicNow() + timeLimit(10)
        while Int(fresh) ?? 0 <= Int(first) ?? 0, monotonicNow() < deadline {
            (fresh, _) = try await Self.call(responder, "getSlow")
            if Int(fresh) ?? 0 <= Int(first) ?? 0 { usleep(200_000) }
        }
        #expect(Int(fresh) ?? 0 > Int(first) ?? 0)
    }
}
