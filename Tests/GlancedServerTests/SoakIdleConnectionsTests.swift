import GlancedServer
import GlancedSync
import GlancedSystem
import GlancedTestSupport
import Glibc
import Synchronization
import Testing

/// 1,000 idle connections held open while 8 clients poll `getAll` on keep-alive connections: the pollers see
/// no error and normal latency, whether the server holds all the idle ones (`--max-connections 1100`) or sheds
/// the oldest ones as new ones arrive (`--max-connections 256`).
@Suite struct SoakIdleConnectionsTests {
    struct Latencies: CustomStringConvertible {
        var samples: [Double]
        func percentile(_ p: Double) -> Double {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        var description: String {
            let ms = { (value: Double) in String(Int((value * 1000).rounded())) }
            return "\(samples.count) requests, p50 \(ms(percentile(0.5))) ms, p99 \(ms(percentile(0.99))) ms, "
                + "max \(ms(samples.max() ?? .nan)) ms"
        }
    }

    /// Raises the open-file limit to `wanted` (both ends of every connection live in this process).
    static func raiseDescriptorLimit(to wanted: rlim_t) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        if limit.rlim_cur < wanted, geteuid() == 0 {
            limit.rlim_cur = wanted
            limit.rlim_max = wanted
        }
        try #require(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, "cannot raise RLIMIT_NOFILE to \(wanted)")
    }

    /// Runs `body(index)` on `count` threads of its own (not the cooperative pool) and waits for them all.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        final class Box: @unchecked Sendable {  // handed to exactly one thread, which releases it
            let index: Int
            let body: @Sendable (Int) -> Void
            init(_ index: Int, _ body: @escaping @Sendable (Int) -> Void) {
                self.index = index
                self.body = body
            }
        }
        var threads: [pthread_t] = []
        for index in 0..<count {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(Box(index, body)).toOpaque()
            let created = pthread_create(
                &thread, nil,
                { raw in
                    let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                    box.body(box.index)
                    return nil
                }, box)
            precondition(created == 0, "pthread_create failed")
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }

    /// 8 keep-alive pollers calling `getAll` for `seconds`, while `meanwhile` runs; returns their latencies and
    /// their failures.
    static func poll(_ port: Int, for seconds: Double, meanwhile: @escaping @Sendable () -> Void) -> (
        Latencies, [String]
    ) {
        let results = Locked<([Double], [String])>(([], []))
        let ready = Atomic(0)
        onThreads(9) { index in
            if index == 8 {
                while ready.load(ordering: .sequentiallyConsistent) < 8 { usleep(1_000) }
                meanwhile()
                return
            }
            var latencies: [Double] = []
            var failures: [String] = []
            do {
                let client = try RawHTTPClient(port: port, timeout: 10)
                // Connected (and served) before the idle flood starts.
                try client.request(body: methodCall("init"))
                _ = try client.readResponse()
                ready.add(1, ordering: .sequentiallyConsistent)
                let started = monotonicNow()
                while monotonicNow() - started < seconds {
                    let before = monotonicNow()
                    try client.request(headers: [("Accept-Encoding", "gzip")], body: methodCall("getAll"))
                    let reply = try client.readResponse()
                    latencies.append(monotonicNow() - before)
                    if reply.status != 200 || reply.header("Content-Encoding") != "gzip" {
                        failures.append("status \(reply.status)")
                    }
                    usleep(20_000)
                }
            } catch {
                ready.add(1, ordering: .sequentiallyConsistent)
                failures.append("\(error)")
            }
            results.withLock {
                $0.0 += latencies
                $0.1 += failures
            }
        }
        return results.withLock { (Latencies(samples: $0.0), $0.1) }
    }

    @Test func thousandIdleConnectionsHeldWhileEightClientsPoll() async throws {
        try Self.raiseDescriptorLimit(to: 8_192)
        // An idle timeout longer than any slow (sanitized) run, so that only the limit decides what is closed.
        try await withServer(configuredBy: {
            $0.maxConnections = 1_100
            $0.idleTimeout = 600
        }) { port throws in
            expectServed(port)
            let held = Locked<[IdleSocket]>([])
            let (latencies, failures) = Self.poll(port, for: 6) {
                for _ in 0..<1_000 {
                    if let socket = IdleSocket(port: port) { held.withLock { $0.append(socket) } }
                }
            }
            let idle = held.withLock { $0 }
            print("1,000 idle connections held, 8 pollers: \(latencies)")
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            #expect(idle.count == 1_000)
            #expect(idle.filter { $0.isClosed(within: 0) }.isEmpty, "all 1,000 idle connections still open")
            #expect(latencies.samples.count > 100)
            #expect(latencies.percentile(0.99) < timeLimit(0.5), "\(latencies)")
            expectServed(port)
        }
    }

    @Test func excessIdleConnectionsAreClosedWhileEightClientsPoll() async throws {
        try Self.raiseDescriptorLimit(to: 8_192)
        try await withServer(configuredBy: {
            $0.maxConnections = 256
            $0.idleTimeout = 600
        }) { port throws in
            let held = Locked<[IdleSocket]>([])
            let (latencies, failures) = Self.poll(port, for: 6) {
                for _ in 0..<1_000 {
                    if let socket = IdleSocket(port: port) { held.withLock { $0.append(socket) } }
                }
            }
            let idle = held.withLock { $0 }
            // Each connection past the limit sheds the oldest idle one (the pollers completed requests: they go
            // last); give the last closes time to arrive (connections whose SYN was retried come late).
            _ = eventually(within: timeLimit(3)) { idle.filter { $0.isClosed(within: 0) }.count >= 1_000 - 248 - 8 }
            usleep(useconds_t(timeLimit(0.3) * 1e6))
            let closed = idle.filter { $0.isClosed(within: 0.01) }.count
            print("1,000 idle connections against a limit of 256, 8 pollers: \(closed) closed, \(latencies)")
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            // 256 slots: 8 pollers and the 248 last idle connections; the rest shed.
            #expect(closed >= 1_000 - 248 - 8, "\(closed) of 1,000 closed")
            #expect(closed <= 1_000 - 248 + 8, "\(closed) of 1,000 closed")
            #expect(latencies.percentile(0.99) < timeLimit(0.5), "\(latencies)")
            _ = consume idle
            held.withLock { $0 = [] }
            #expect(eventually(within: 3) { (try? call(port, "init")) == .string("2.0") })
        }
    }
}
