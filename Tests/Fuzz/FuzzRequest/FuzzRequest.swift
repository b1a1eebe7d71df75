import Dispatch
import GlancedHTTP
import GlancedServer
import GlancedStats
import GlancedXMLRPC
import Logging
import NIOCore
import NIOEmbedded

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`):
/// the whole request path, in-process. Raw bytes go into the server's own connection
/// pipeline (NIO's HTTP/1 decoder, the pipelining handler, glanced's connection handler) on an
/// `EmbeddedChannel`, through the XML-RPC codec and the Glances method table to a reply rendered from a real
/// sample.
///
/// The first input byte picks where the rest is split into two reads (requests arrive in pieces), and the two
/// reads come twice, so that a request answered the first time is replayed from the connection's own
/// ``ReplayCache`` the second; the bytes then get the time to finish, the idle deadline passes and the client goes
/// away. Besides not crashing, every
/// byte the server writes must be whole HTTP/1.1 replies: a status line, fields, and a body of exactly
/// `Content-Length` bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data, count > 0 else { return 0 }
    let split = Int(data[0])
    let input = UnsafeBufferPointer(start: data + 1, count: count - 1)
    let channel = EmbeddedChannel()
    do {
        try HTTPServer.configureConnectionPipeline(
            on: channel,
            configuration: Harness.configuration,
            routes: Harness.routes,
            logger: Harness.logger,
            replies: ReplayCache()
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 61209)).wait()
    } catch {
        preconditionFailure("cannot set up the pipeline: \(error)")
    }
    var output: [UInt8] = []
    func drain() {
        while let buffer = try? channel.readOutbound(as: ByteBuffer.self) {
            output += buffer.readableBytesView
        }
    }
    let cut = input.count == 0 ? 0 : split % (input.count + 1)
    for piece in [input[..<cut], input[cut...], input[..<cut], input[cut...]] where !piece.isEmpty && channel.isActive {
        var buffer = channel.allocator.buffer(capacity: piece.count)
        buffer.writeBytes(UnsafeBufferPointer(rebasing: piece))
        // A decoding error is answered inside the pipeline; whatever still reaches its tail is not our concern.
        _ = try? channel.writeInbound(buffer)
        channel.embeddedEventLoop.run()
        drain()
    }
    if channel.isActive {
        // The client half-closes, then the idle (or linger) deadline passes.
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        channel.embeddedEventLoop.advanceTime(by: .seconds(3_600))
        drain()
    }
    _ = try? channel.finish(acceptAlreadyClosed: true)
    Harness.checkReplies(output)
    return 0
}

/// The server behind the pipeline, built once: a real method table and sample, refreshed never again (a new
/// sample per input would be slow and add nothing to the request path).
enum Harness {
    static let logger = Logger(label: "fuzz")

    static let configuration: HTTPServerConfiguration = {
        var configuration = HTTPServerConfiguration()
        // Small enough that the fuzzer reaches the limits.
        configuration.maxBodyBytes = 4_096
        configuration.maxHeaderBytes = 2_048
        configuration.idleTimeout = 30
        return configuration
    }()

    static let responder: RPCResponder = {
        let collector = StatsCollector(configuration: GlancesConfig.defaults.pluginConfiguration)
        let cache = StatsCache(collector: collector, interval: 1e9)
        let methods = GlancesMethods(plugins: cache.names(in: .v2), config: .defaults)
        // Take the one sample now, so that every reply comes synchronously, on the channel's thread.
        let sampled = DispatchSemaphore(value: 0)
        cache.withSnapshot { _ in sampled.signal() }
        sampled.wait()
        return RPCResponder(methods: methods, cache: cache, maxBodyBytes: configuration.maxBodyBytes)
    }()

    /// The server's XML-RPC routes: POST on /RPC2 and on /.
    static let routes: HTTPRouteTable = [
        HTTPRoute(methods: ["POST"], match: .exact("/RPC2"), responder: responder),
        HTTPRoute(methods: ["POST"], match: .exact("/"), responder: responder),
    ]

    /// Checks that `output` is a sequence of whole HTTP/1.x replies: `100 Continue` heads, and final replies
    /// with one `Content-Length` and that many body bytes. A reply to `HEAD` carries the length but no body;
    /// since no body of ours starts with `HTTP/1.`, a head followed by another reply (or by nothing) is one.
    static func checkReplies(_ output: [UInt8]) {
        let httpPrefix = Array("HTTP/1.".utf8)
        var rest = output[...]
        while !rest.isEmpty {
            guard let headEnd = rest.firstRange(of: [13, 10, 13, 10]) else {
                preconditionFailure("a reply without the end of its head: \(String(decoding: rest, as: UTF8.self))")
            }
            let head = String(decoding: rest[..<headEnd.lowerBound], as: UTF8.self)
            let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
            let statusLine = lines[0].split(separator: " ", maxSplits: 2)
            precondition(
                statusLine.count == 3 && (statusLine[0] == "HTTP/1.1" || statusLine[0] == "HTTP/1.0"),
                "bad status line: \(lines[0])"
            )
            let status = Int(statusLine[1]) ?? 0
            var length: Int?
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                precondition(parts.count == 2, "bad header line: \(line)")
                if parts[0].lowercased() == "content-length" {
                    precondition(length == nil, "two Content-Length fields")
                    length = Int(parts[1].drop { $0 == " " })
                }
            }
            rest = rest[headEnd.upperBound...]
            if status == 100 {
                precondition(length == nil, "100 Continue with a Content-Length")
                continue
            }
            precondition([200, 400, 401, 404, 405, 413, 431].contains(status), "unexpected status \(status)")
            guard let length else { preconditionFailure("a reply without Content-Length: \(head)") }
            if rest.isEmpty || rest.starts(with: httpPrefix) { continue }  // a reply to HEAD
            precondition(rest.count >= length, "a reply cut short: \(head)")
            rest = rest[(rest.startIndex + length)...]
        }
    }
}
