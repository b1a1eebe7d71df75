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

    @Test("a request written in pieces is held until whole, then answered or replayed as if it came in one read")
    func piecesAreHeldUntilWhole() async throws {
        let responder = CountingResponder()
        try await withServer(routes: countingRoutes(responder)) { port in
            let warm = try RawHTTPClient(port: port)
            #expect(warm.send(get))
            let first = try warm.readResponse()
            #expect(first.text.hasPrefix("call 1 "))

            // The recorded request, in two pieces: replayed.
            let split = try RawHTTPClient(port: port)
            #expect(split.send(Array(get[..<10])))
            usleep(50_000)
            #expect(split.send(Array(get[10...])))
            #expect(flat(try split.readResponse()) == flat(first))
            #expect(responder.count == 1)

            // As Python's http.client writes a POST: the head, then the body. Answered once, then replayed, on
            // this connection and on another.
            let post = rawPost(Array("<methodCall><methodName>getCpu</methodName></methodCall>".utf8))
            let headEnd = post.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
            for client in [split, split, try RawHTTPClient(port: port)] {
                #expect(client.send(Array(post[..<headEnd])))
                usleep(20_000)
                #expect(client.send(Array(post[headEnd...])))
                #expect(try client.readResponse().text == "call 2 POST /RPC2 \(post.count - headEnd)\n")
            }
            #expect(responder.count == 2)

            // Byte by byte: held for a few reads, then handed on and answered in full.
            let slow = try RawHTTPClient(port: port)
            let other = rawHead("GET /slow HTTP/1.1", ["Host: 127.0.0.1"])
            for byte in other {
                #expect(slow.send([byte]))
                usleep(2_000)
            }
            #expect(try slow.readResponse().text == "call 3 GET /slow 0\n")

            // A head that waits for 100 Continue is not held back.
            let expecting = try RawHTTPClient(port: port)
            let body = Array("<methodCall/>".utf8)
            #expect(
                expecting.send(
                    rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: 13", "Expect: 100-continue"])))
            #expect(try expecting.readResponse().status == 100)
            #expect(expecting.send(body))
            #expect(try expecting.readResponse().text == "call 4 POST /RPC2 13\n")

            // Pieces, then the client half-closes: the request will never be whole; the server says so and closes.
            let halfClosed = try RawHTTPClient(port: port)
            #expect(halfClosed.send(Array(get[..<20])))
            usleep(20_000)
            halfClosed.shutdownWrite()
            #expect(try halfClosed.readResponse().status == 400)
            #expect(halfClosed.isClosedByServer())
            #expect(responder.count == 4)
        }
    }

    @Test("pipelined requests and a partial head after a request are answered in full, never replayed")
    func unplainReadsAreNeverReplayed() async throws {
        let responder = CountingResponder()
        try await withServer(routes: countingRoutes(responder)) { port in
            let warm = try RawHTTPClient(port: port)
            #expect(warm.send(get))
            #expect(try warm.readResponse().text.hasPrefix("call 1 "))

            // Pipelined: two in one write, each answered, in order; the connection's decoder state is not known
            // afterwards, so its later requests go the full way.
            let pipelined = try RawHTTPClient(port: port)
            #expect(pipelined.send(get + rawHead("GET /two HTTP/1.1", ["Host: 127.0.0.1"])))
            #expect(try pipelined.readResponse().text == "call 2 GET /api/4/cpu 0\n")
            #expect(try pipelined.readResponse().text == "call 3 GET /two 0\n")
            #expect(pipelined.send(get))
            #expect(try pipelined.readResponse().text == "call 4 GET /api/4/cpu 0\n")

            // A whole request and the start of another, then bytes equal to a recorded request: they complete
            // the second head, which is answered for what it is.
            let partial = try RawHTTPClient(port: port)
            #expect(partial.send(get + Array("GET /three HTTP/1.1\r\nX-Start: ".utf8)))
            #expect(try partial.readResponse().text == "call 5 GET /api/4/cpu 0\n")
            usleep(50_000)
            #expect(partial.send(get))
            #expect(try partial.readResponse().text == "call 6 GET /three 0\n")
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
    func shape(_ text: String) -> RequestShape {
        RequestShape(ByteBuffer(string: text))
    }

    @Test("plain requests are one whole request")
    func plain() {
        #expect(shape("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == .whole)
        #expect(shape("GET / HTTP/1.0\r\n\r\n") == .whole)
        #expect(shape("POST /RPC2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") == .whole)
        #expect(shape("POST /RPC2 HTTP/1.1\r\ncontent-length:  5 \r\n\r\nhe\r\n\r") == .whole)
        #expect(shape("POST /RPC2 HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == .whole)
    }

    @Test("the start of a plain request is partial, and says whether its head has ended")
    func partial() {
        #expect(shape("G") == .partial(headEnded: false))
        #expect(shape("POS") == .partial(headEnded: false))
        #expect(shape("HEAD /x") == .partial(headEnded: false))
        #expect(shape("GET / HTTP/1.1\r") == .partial(headEnded: false))
        #expect(shape("GET / HTTP/1.1\r\nHost: a\r\n") == .partial(headEnded: false))
        #expect(shape("GET / HTTP/1.1\r\nHost: a\r\n\r") == .partial(headEnded: false))
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n") == .partial(headEnded: true))
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhell") == .partial(headEnded: true))
    }

    @Test("anything less plain is not")
    func notPlain() {
        #expect(shape("") == .other)
        #expect(shape("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nHost: a\r\n\r\nx") == .other)
        #expect(shape("GET / HTTP/1.1\nHost: a\r\n\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nHost: a\n\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") == .other)
        #expect(shape("\r\n\r\n") == .other)
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello!") == .other)
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello") == .other)
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello") == .other)
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\nhello") == .other)
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nhello") == .other)
        #expect(shape("POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\nhello") == .other)
        #expect(shape("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n") == .other)
        #expect(shape("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nNoColon\r\n\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nNoColon\r\n") == .other)
        #expect(shape("\u{16}\u{03}\u{01}\u{02}") == .other)
        #expect(shape("get / HTTP/1.1\r\n") == .other)
        #expect(shape("PUT / HTTP/1.1\r\n\r\n") == .other)
        #expect(shape("GETX / HTTP/1.1\r\n") == .other)
        #expect(shape("GARBAGE") == .other)
        #expect(shape(" GET / HTTP/1.1\r\n") == .other)
        #expect(shape("GET /\u{7F} HTTP/1.1\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nX: \u{1}\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\nX: é\r\n") == .other)
        #expect(shape("GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 1000)) == .other)
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
