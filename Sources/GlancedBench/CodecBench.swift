import GlancedCompression
import GlancedHTTP
import GlancedServer
import GlancedStats
import GlancedXMLRPC
import Glibc
import Synchronization

/// What a call costs once the sample exists: the XML-RPC codec, the per-sample rendering, and the
/// responder's cached path (everything but NIO and the socket, which the wrk load test measures).
struct CodecBench {
    let iterations: Int

    /// Median CPU time per call of `body`, over 5 batches of `count` calls, seconds.
    func perCall(_ count: Int, _ body: () -> Void) -> Double {
        var costs: [Double] = []
        for _ in 0..<5 {
            let start = Stamp.now()
            for _ in 0..<count { body() }
            costs.append((Stamp.now() - start).cpu / Double(count))
        }
        return median(costs)
    }

    /// The request body Python's `xmlrpc.client` sends for `method()`.
    static func request(_ method: String) -> [UInt8] {
        Array(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>\(method)</methodName>\n<params>\n</params>\n</methodCall>\n"
                .utf8)
    }

    func run(snapshot: Snapshot, collector: StatsCollector) {
        let calls = max(iterations, 1)
        let getAll = Self.request("getAll")
        let allJSON = Glances2JSON.all(snapshot.sample)
        let getCpu = Self.request("getCpu")
        var sink = 0

        let parse = perCall(calls * 50) {
            if let call = try? XMLRPCMethodCall.parse(getAll) { sink &+= call.methodName.utf8.count }
        }
        let methods = GlancesMethods(plugins: PluginRegistry.names, config: .defaults)
        let call = XMLRPCMethodCall(methodName: "getAll")
        let route = perCall(calls * 50) {
            if case .all = methods.route(call) { sink &+= 1 }
        }
        var xml: [UInt8] = []
        let render = perCall(max(calls / 4, 1)) {
            xml = XMLRPCResponse.string(allJSON)
            sink &+= xml.count
        }
        var gzipped: [UInt8] = []
        let gzip6 = perCall(max(calls / 10, 1)) {
            gzipped = Gzip.compress(xml)
            sink &+= gzipped.count
        }
        var gzipped1: [UInt8] = []
        let gzip1 = perCall(max(calls / 10, 1)) {
            gzipped1 = Gzip.compress(xml, level: Gzip.serverLevel)
            sink &+= gzipped1.count
        }
        let assemble = perCall(max(calls / 4, 1)) {
            sink &+= Glances2JSON.all(snapshot.sample).count
        }

        func line(_ label: String, _ seconds: Double) {
            print("  \(label.padding(52)) \(microseconds(seconds))")
        }
        print("per call, once the sample exists (median cpu per call):")
        line("parse a getAll request (\(getAll.count) B)", parse)
        line("route it", route)
        print("per sample, done once whatever the number of calls:")
        line("render the getAll JSON from the typed stats", assemble)
        line("render the getAll XML reply (\(xml.count) B)", render)
        line("gzip it, level 6 (\(gzipped.count) B)", gzip6)
        line("(gzip level 1, \(gzipped1.count) B: what a per-call gzip costs)", gzip1)
        responderCosts(collector: collector, calls: calls, requests: [("getAll", getAll), ("getCpu", getCpu)])
        if sink == 42 { print("") }  // keeps the optimizer from dropping the loops
    }

    /// The responder's cached path: parse, route, and the reply rendered (and gzipped) once per sample.
    private func responderCosts(collector: StatsCollector, calls: Int, requests: [(String, [UInt8])]) {
        // A second collector for a cache that never expires within the run: every call is a cached one.
        let cache = StatsCache(
            collector: StatsCollector(configuration: PluginConfiguration()), interval: 1e9)
        let responder = RPCResponder(
            methods: GlancesMethods(plugins: PluginRegistry.names, config: .defaults), cache: cache,
            maxBodyBytes: 65_536)
        let sink = ReplySink()
        print("per call through RPCResponder, sample cached (median cpu per call; HTTP and socket not included):")
        for (name, body) in requests {
            for gzip in [false, true] {
                let request = HTTPRequest(method: "POST", path: "/RPC2", body: body, acceptsGzip: gzip)
                // The first call waits for the sample and renders the reply; later calls copy it.
                let first = ReplySink()
                responder.respond(to: request) { _ in first.replies.add(1, ordering: .releasing) }
                while first.replies.load(ordering: .acquiring) == 0 { usleep(1000) }
                let cost = perCall(calls * 20) {
                    responder.respond(to: request) { response in
                        let bytes = (gzip ? response.gzippedBody?.count : nil) ?? response.body.count
                        sink.replies.add(bytes, ordering: .relaxed)
                    }
                }
                let label = "\(name)\(gzip ? ", Accept-Encoding: gzip" : "")"
                print("  \(label.padding(52)) \(microseconds(cost))")
            }
        }
    }
}

/// Counts replies (or their bytes), so that the responder's work cannot be optimised away.
final class ReplySink: Sendable {
    let replies = Atomic<Int>(0)
}

func microseconds(_ seconds: Double) -> String {
    let hundredths = Int((seconds * 100_000_000).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) us"
}
