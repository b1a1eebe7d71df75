import GlancedServer
import GlancedSync
import GlancedTestSupport
import Glibc
import Synchronization
import Testing

/// A flood first, clients after: 1,000 connections each send half a request head (`POST /RPC2 HTTP/1.1`, `Host`)
/// and go silent, then 8 ordinary pollers connect and call `getCpu` on keep-alive connections for 15 s. The pollers
/// see no error and a p99 latency under 0.5 s, whether the connection limit holds the whole flood (the default) or
/// not (256: each connection past it sheds the oldest silent one); the half heads are closed at the header timeout,
/// and the process's descriptors come back to where they were.
@Suite struct SoakHalfHeadFloodTests {
    static let halfHead = Array("POST /RPC2 HTTP/1.1\r\nHost: x\r\n".utf8)

    /// 8 keep-alive pollers calling `getCpu` on new connections for `seconds`; their latencies and failures.
    static func poll(_ port: Int, for seconds: Double) -> (SoakIdleConnectionsTests.Latencies, [String]) {
        let results = Locked<([Double], [String])>(([], []))
        SoakIdleConnectionsTests.onThreads(8) { _ in
            var latencies: [Double] = []
            var failures: [String] = []
            do {
                let client = try RawHTTPClient(port: port, timeout: 10)
                let started = monotonicNow()
                while monotonicNow() - started < seconds {
                    let before = monotonicNow()
                    try client.request(body: methodCall("getCpu"))
                    let reply = try client.readResponse()
                    latencies.append(monotonicNow() - before)
                    if reply.status != 200 || (try? RPCResult(reply.body).json()["total"]) == nil {
                        failures.append("status \(reply.status): \(reply.text.prefix(100))")
                    }
                    usleep(20_000)
                }
            } catch {
                failures.append("\(error)")
            }
            results.withLock {
                $0.0 += latencies
                $0.1 += failures
            }
        }
        return results.withLock { (SoakIdleConnectionsTests.Latencies(samples: $0.0), $0.1) }
    }

    @Test(arguments: [nil, 256] as [Int?])
    func pollersAreServedAfterAThousandHalfHeads(maxConnections: Int?) async throws {
        // Both ends of every connection live in this process.
        try SoakIdleConnectionsTests.raiseDescriptorLimit(to: 8_192)
        try await withServer(configuredBy: { $0.maxConnections = maxConnections }) { port throws in
            // The first sample opens the files the collectors keep open.
            #expect(try call(port, "getCpu").json()["total"] != nil)
            let baseline = openDescriptorCount()

            var flood: [IdleSocket] = []
            for _ in 0..<1_000 {
                guard let socket = IdleSocket(port: port) else { continue }
                socket.send(Self.halfHead)  // fails for a socket already shed: no matter
                flood.append(socket)
            }
            let (latencies, failures) = Self.poll(port, for: 15)
            let open = flood.filter { !$0.isClosed(within: 0) }.count
            let limit = maxConnections.map(String.init) ?? "default"
            print("1,000 half heads, then 8 pollers for 15 s (limit \(limit)): \(latencies), \(failures.count) errors")
            #expect(flood.count == 1_000)
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            #expect(latencies.samples.count > 1_000)
            #expect(latencies.percentile(0.99) < timeLimit(0.5), "\(latencies)")
            #expect(open == 0, "\(open) half heads still open after the header timeout")

            flood = []
            let settled = eventually(within: timeLimit(5)) { openDescriptorCount() <= baseline }
            print("descriptors: \(baseline) before, \(openDescriptorCount()) after")
            #expect(settled, "descriptors: \(baseline) before, \(openDescriptorCount()) after")
            expectServed(port)
        }
    }
}
