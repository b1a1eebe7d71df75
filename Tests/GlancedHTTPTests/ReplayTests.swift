import GlancedTestSupport
import Glibc
import NIOCore
import Synchronization
import Testing

@testable import GlancedHTTP

/// Whether recorded replies still hold, switched by a test.
final class Switch: ReplayCondition {
    private let on = Atomic<Bool>(true)

    func holds() -> Bool { self.on.load(ordering: .relaxed) }
    func set(_ value: Bool) { self.on.store(value, ordering: .relaxed) }
}

/// Counts its calls and answers with the count (so a reply that was not asked for shows), the path and the
/// request body; each reply may be replayed while `condition` holds, except for `x-no-replay` requests.
final class CountingResponder: HTTPResponder {
    let calls = Atomic<Int>(0)
    let condition = Switch()

    func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        let call = self.calls.add(1, ordering: .relaxed).newValue
        let body = Array("call \(call) \(request.method) \(request.path) \(request.body.count)\n".utf8)
        let replay: (any ReplayCondition)? = request.header("x-no-replay") == nil ? self.condition : nil
        reply(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: body, replay: replay))
    }

    var count: Int { self.calls.load(ordering: .relaxed) }
}

/// Every route the test server has, to `responder`.
func countingRoutes(_ responder: CountingResponder) -> HTTPRouteTable {
    [
        HTTPRoute(methods: ["GET"], match: .prefix("/"), responder: responder),
        HTTPRoute(methods: ["POST"], match: .exact("/RPC2"), responder: responder),
    ]
}

/// The whole reply as bytes-level parts: status, fields in order, body.
func flat(_ response: RawResponse) -> String {
    "\(response.version) \(response.status)\n" + response.headers.map { "\($0.name): \($0.value)\n" }.joined()
        + response.text
}

@Suite("Replies to repeated requests")
struct ReplayTests {
    let get = rawHead("GET /api/4/cpu HTTP/1.1", ["Host: 127.0.0.1", "Accept-Encoding: gzip"])

    @Test("a request repeated byte for byte gets the same reply without asking the responder again")
    func repeatedRequestIsReplayed() async throws {
        let responder = CountingResponder()
        try await withServer(routes: countingRoutes(responder)) { port in
            let client = try RawHTTPClient(port: port)
            #expect(client.send(get))
            let first = try client.readResponse()
            #expect(first.text == "call 1 GET /api/4/cpu 0\n")
            for _ in 0..<5 {
                #expect(client.send(get))
                #expect(flat(try client.readResponse()) == flat(first))
            }
            #expect(responder.count == 1)
            // Another connection on the server shares the recorded reply.
            let other = try RawHTTPClient(port: port)
            #expect(other.send(get))
            #expect(flat(try other.readResponse()) == flat(first))
            #expect(responder.count == 1)
            // A POST with its body, as XML-RPC clients send it.
            let post = rawPost(Array("<methodCall/>".utf8))
            #expect(client.send(post))
            let posted = try client.readResponse()
            #expect(posted.text == "call 2 POST /RPC2 13\n")
            #expect(client.send(post))
            #expect(flat(try client.readResponse()) == flat(posted))
            #expect(responder.count == 2)
        }
    }

    @Test("once the condition no longer holds, the responder is asked again and its new reply recorded")
    func staleReplyIsNotSent() async throws {
        let responder = CountingResponder()
        try await withServer(routes: countingRoutes(responder)) { port in
            let client = try RawHTTPClient(port: port)
            #expect(client.send(get))
            #expect(try client.readResponse().text.hasPrefix("call 1 "))
            responder.condition.set(false)
            #expect(client.send(get))
            #expect(try client.readResponse().text.hasPrefix("call 2 "))
            #expect(client.send(get))
            #expect(try client.readResponse().text.hasPrefix("call 3 "))
            // The reply recorded last (under the same condition) holds again.
            responder.condition.set(true)
            for _ in 0..<2 {
                #expect(client.send(get))
                #expect(try client.readResponse().text.hasPrefix("call 3 "))
            }
            #expect(responder.count == 3)
        }
    }

    @Test("other bytes, a reply the responder did not allow, and a closing exchange are not replayed")
    func onlyWhatMayBeIsReplayed() async throws {
        let responder = CountingResponder()
        try await withServer(routes: countingRoutes(responder)) { port in
            let client = try RawHTTPClient(port: port)
            let variants = [
                get,
                rawHead("GET /api/4/cpu HTTP/1.1", ["Host: 127.0.0.1"]),
                rawHead("GET /api/4/cpu HTTP/1.1", ["Host: 127.0.0.1", "Accept-Encoding: identity"]),
                rawHead("GET /api/4/cpu?x=1 HTTP/1.1", ["Host: 127.0.0.1", "Accept-Encoding: gzip"]),
            ]
            for (index, request) in variants.enumerated() {
                #expect(client.send(request))
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(responder.count == index + 1)
            }
            let unrecorded = rawHead("GET /api/4/mem HTTP/1.1", ["Host: 127.0.0.1", "X-No-Replay: 1"])
            for call in 5...6 {
                #expect(client.send(unrecorded))
                #expect(try client.readResponse().text.hasPrefix("call \(call) "))
            }
            let closing = rawHead("GET /api/4/load HTTP/1.1", ["Host: 127.0.0.1", "Connection: close"])
            for call in 7...8 {
                let once = try RawHTTPClient(port: port)
                #expect(once.send(closing))
                let response = try once.readResponse()
                #expect(response.text.hasPrefix("call \(call) "))
                #expect(response.header("Connection") == "close")
                #expect(once.isClosedByServer())
            }
        }
    }

    @Test("a request split over reads, pipelined requests and a partial head are answered in full, never replayed")
    func unplainReadsAreNeverReplayed() async throws {
        let responder = CountingResponder()
        try await withServer(routes: countingRoutes(responder)) { port in
            let warm = try RawHTTPClient(port: port)
            #expect(warm.send(get))
            #expect(try warm.readResponse().text.hasPrefix("call 1 "))

            // Split: the connection's decoder state is not known afterwards; its later requests go the full way.
            let split = try RawHTTPClient(port: port)
            #expect(split.send(Array(get[..<10])))
            usleep(50_000)
            #expect(split.send(Array(get[10...])))
            #expect(try split.readResponse().text.hasPrefix("call 2 "))
            #expect(split.send(get))
            #expect(try split.readResponse().text.hasPrefix("call 3 "))

            // Pipelined: two in one write, each answered, in order.
            let pipelined = try RawHTTPClient(port: port)
            #expect(pipelined.send(get + rawHead("GET /two HTTP/1.1", ["Host: 127.0.0.1"])))
            #expect(try pipelined.readResponse().text == "call 4 GET /api/4/cpu 0\n")
            #expect(try pipelined.readResponse().text == "call 5 GET /two 0\n")

            // A whole request and the start of another, then bytes equal to a recorded request: they complete
            // the second head, which is answered for what it is.
            let partial = try RawHTTPClient(port: port)
            #expect(partial.send(get + Array("GET /three HTTP/1.1\r\nX-Start: ".utf8)))
            #expect(try partial.readResponse().text == "call 6 GET /api/4/cpu 0\n")
            usleep(50_000)
            #expect(partial.send(get))
            #expect(try partial.readResponse().text == "call 7 GET /three 0\n")
        }
    }

    @Test("the idle timeout still runs from the last replayed reply")
    func idleTimeoutAfterReplays() async throws {
        let responder = CountingResponder()
        try await withServer({ $0.idleTimeout = 0.5 }, routes: countingRoutes(responder)) { port in
            let client = try RawHTTPClient(port: port)
            for _ in 0..<4 {
                #expect(client.send(get))
                #expect(try client.readResponse().text.hasPrefix("call 1 "))
                usleep(300_000)
            }
            #expect(responder.count == 1)
            let closed = try await eventually(within: 3) { client.isClosedByServer() }
            #expect(closed)
        }
    }
}

@Suite("One whole request, as the decoder reads it")
struct RequestShapeTests {
    func single(_ text: String) -> Bool {
        RequestShape.isSingleRequest(ByteBuffer(string: text))
    }

    @Test("plain requests are one whole request")
    func plain() {
        #expect(single("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(single("GET / HTTP/1.0\r\n\r\n"))
        #expect(single("POST /RPC2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"))
        #expect(single("POST /RPC2 HTTP/1.1\r\ncontent-length:  5 \r\n\r\nhe\r\n\r"))
        #expect(single("POST /RPC2 HTTP/1.1\r\nContent-Length: 0\r\n\r\n"))
    }

    @Test("anything less plain is not")
    func notPlain() {
        #expect(!single(""))
        #expect(!single("GET / HTTP/1.1\r\nHost: a\r\n"))
        #expect(!single("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n"))
        #expect(!single("GET / HTTP/1.1\r\nHost: a\r\n\r\nx"))
        #expect(!single("GET / HTTP/1.1\nHost: a\r\n\r\n"))
        #expect(!single("GET / HTTP/1.1\r\nHost: a\n\n"))
        #expect(!single("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"))
        #expect(!single("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"))
        #expect(!single("\r\n\r\n"))
        #expect(!single("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhell"))
        #expect(!single("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello!"))
        #expect(!single("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"))
        #expect(!single("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello"))
        #expect(!single("POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\nhello"))
        #expect(!single("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nhello"))
        #expect(!single("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
        #expect(!single("GET / HTTP/1.1\r\nNoColon\r\n\r\n"))
        #expect(!single("GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 1000) + "\r\n"))
    }
}

@Suite("The replay cache's bounds")
struct ReplayCacheTests {
    func buffer(_ count: Int, _ fill: UInt8 = 0x61) -> ByteBuffer {
        ByteBuffer(bytes: [UInt8](repeating: fill, count: count))
    }

    @Test("a reply is found for exactly its request while its condition holds, then dropped")
    func lookup() {
        let cache = ReplayCache()
        let condition = Switch()
        cache.record(request: ByteBuffer(string: "GET /a"), reply: ByteBuffer(string: "A"), condition: condition)
        #expect(cache.reply(to: ByteBuffer(string: "GET /a")) == ByteBuffer(string: "A"))
        #expect(cache.reply(to: ByteBuffer(string: "GET /b")) == nil)
        #expect(cache.reply(to: ByteBuffer(string: "GET /a ")) == nil)
        condition.set(false)
        #expect(cache.reply(to: ByteBuffer(string: "GET /a")) == nil)
        #expect(cache.count == 0)
    }

    @Test("too long requests and replies are not kept; entries and bytes stay within their limits")
    func bounds() {
        let cache = ReplayCache()
        let condition = AlwaysReplayable()
        cache.record(request: buffer(ReplayCache.maxRequestBytes + 1), reply: buffer(1), condition: condition)
        cache.record(request: buffer(1), reply: buffer(ReplayCache.maxReplyBytes + 1), condition: condition)
        #expect(cache.count == 0)
        for index in 0..<(ReplayCache.maxEntries + 10) {
            cache.record(request: ByteBuffer(string: "GET /\(index)"), reply: buffer(16), condition: condition)
        }
        #expect(cache.count == ReplayCache.maxEntries)
        #expect(cache.reply(to: ByteBuffer(string: "GET /0")) == nil)
        #expect(cache.reply(to: ByteBuffer(string: "GET /\(ReplayCache.maxEntries + 9)")) != nil)
        let big = ReplayCache.maxReplyBytes
        for index in 0..<20 {
            cache.record(request: ByteBuffer(string: "GET /big\(index)"), reply: buffer(big), condition: condition)
        }
        #expect(cache.count <= ReplayCache.maxBytes / big)
        #expect(cache.reply(to: ByteBuffer(string: "GET /big19")) != nil)
        // Recording the same request again replaces its reply.
        cache.record(request: ByteBuffer(string: "GET /big19"), reply: buffer(3, 0x62), condition: condition)
        #expect(cache.reply(to: ByteBuffer(string: "GET /big19")) == buffer(3, 0x62))
    }
}
