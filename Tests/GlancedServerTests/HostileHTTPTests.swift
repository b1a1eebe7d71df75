import GlancedServer
import GlancedTestSupport
import Glibc
import Testing

/// HTTP/1.0 and 1.1 edge cases, the server's limits (body, head, connections, idle and slow clients) and
/// clients that leave mid-request or mid-reply, against a real server on loopback. After each case the next
/// client is served normally.
@Suite struct HostileHTTPTests {
    /// Raw request bytes and the status they must get; `closes` when the server must then close.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        var status: Int
        var closes: Bool

        init(_ label: String, _ bytes: [UInt8], status: Int, closes: Bool = false) {
            self.label = label
            self.bytes = bytes
            self.status = status
            self.closes = closes
        }

        init(_ label: String, _ text: String, status: Int, closes: Bool = false) {
            self.init(label, Array(text.utf8), status: status, closes: closes)
        }

        var testDescription: String { label }
    }

    static let body = methodCall("init")
    static let bodyText = String(decoding: body, as: UTF8.self)

    static func chunked(_ body: [UInt8], chunk: Int) -> [UInt8] {
        var out: [UInt8] = []
        var rest = body[...]
        while !rest.isEmpty {
            let piece = rest.prefix(chunk)
            out += Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8)
            rest = rest.dropFirst(piece.count)
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    static let cases: [Case] = [
        // Accepted, as Python's server (and so Glances) accepts them.
        Case(
            "HTTP/1.1 without Host", rawHead("POST /RPC2 HTTP/1.1", ["Content-Length: \(body.count)"]) + body,
            status: 200),
        Case(
            "HTTP/1.0 without Host", rawHead("POST /RPC2 HTTP/1.0", ["Content-Length: \(body.count)"]) + body,
            status: 200, closes: true),
        Case(
            "HTTP/1.0 keep-alive", rawPost(body, version: "HTTP/1.0", fields: ["Connection: keep-alive"]), status: 200),
        Case("HTTP/1.1 Connection: close", rawPost(body, fields: ["Connection: close"]), status: 200, closes: true),
        Case("absolute URI", rawPost(body, path: "http://x/RPC2"), status: 200),
        Case("absolute URI with port and query", rawPost(body, path: "http://127.0.0.1:61209/RPC2?x=1"), status: 200),
        Case("absolute URI to another path", rawPost(body, path: "http://x/nope"), status: 404),
        Case("query string", rawPost(body, path: "/RPC2?a=b&c"), status: 200),
        Case(
            "chunked body",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"]) + chunked(body, chunk: 7),
            status: 200),
        Case(
            "chunked body with extensions and trailer",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"])
                + Array("\(String(body.count, radix: 16));ext=1\r\n".utf8) + body
                + Array("\r\n0\r\nX-Trailer: 1\r\n\r\n".utf8), status: 200),
        Case("no body at all", rawHead("POST /RPC2 HTTP/1.1", ["Host: x"]), status: 200),
        Case(
            "header names in odd case",
            rawHead("POST /RPC2 HTTP/1.1", ["hOsT: x", "CONTENT-length: \(body.count)"]) + body, status: 200),
        Case("GET", rawHead("GET /RPC2 HTTP/1.1", ["Host: x"]), status: 405),
        Case("OPTIONS", rawHead("OPTIONS * HTTP/1.1", ["Host: x"]), status: 404),
        Case("PUT", rawHead("PUT /RPC2 HTTP/1.1", ["Host: x", "Content-Length: \(body.count)"]) + body, status: 405),
        Case(
            "long URI under the head limit", rawPost(body, path: "/" + String(repeating: "a", count: 8_000)),
            status: 404),
        // Refused with 400 (or 431) and closed: the request cannot be framed safely.
        Case(
            "duplicate Content-Length, different values",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: \(body.count)", "Content-Length: 5"]) + body,
            status: 400, closes: true),
        Case(
            "duplicate Content-Length, same value",
            rawHead(
                "POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: \(body.count)", "Content-Length: \(body.count)"])
                + body, status: 400, closes: true),
        Case(
            "Content-Length and chunked",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: 5", "Transfer-Encoding: chunked"])
                + chunked(body, chunk: 50), status: 400, closes: true),
        Case(
            "negative Content-Length", rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: -5"]) + body,
            status: 400, closes: true),
        Case(
            "garbage Content-Length", rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: ten"]) + body,
            status: 400, closes: true),
        Case(
            "Content-Length with a sign",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: +\(body.count)"]) + body, status: 400,
            closes: true),
        Case(
            "Content-Length past 64 bits",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: 99999999999999999999999"]) + body, status: 400,
            closes: true),
        Case(
            "bad chunk size",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"])
                + Array("zz\r\nabc\r\n0\r\n\r\n".utf8), status: 400, closes: true),
        Case(
            "unknown transfer coding", rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: gzip"]) + body,
            status: 400, closes: true),
        Case(
            "lowercase method", rawHead("post /RPC2 HTTP/1.1", ["Host: x", "Content-Length: \(body.count)"]) + body,
            status: 400, closes: true),
        Case("unknown method", rawHead("BREW /RPC2 HTTP/1.1", ["Host: x"]), status: 400, closes: true),
        Case("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 400, closes: true),
        Case(
            "bad version", rawHead("POST /RPC2 HTTP/9.9", ["Host: x", "Content-Length: \(body.count)"]) + body,
            status: 400, closes: true),
        Case("no version (HTTP/0.9)", "POST /RPC2\r\n\r\n", status: 400, closes: true),
        Case(
            "space in the header name",
            rawHead("POST /RPC2 HTTP/1.1", ["Host : x", "Content-Length: \(body.count)"]) + body, status: 400,
            closes: true),
        Case(
            "obsolete line folding",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "X-Folded: a", " b", "Content-Length: \(body.count)"]) + body,
            status: 400, closes: true),
        Case(
            "bare LF line ends", "POST /RPC2 HTTP/1.1\nHost: x\nContent-Length: \(body.count)\n\n\(bodyText)",
            status: 400, closes: true),
        Case(
            "NUL in the request line", [UInt8]("POST /RP".utf8) + [0] + Array("C2 HTTP/1.1\r\n\r\n".utf8), status: 400,
            closes: true),
        Case(
            "TLS client hello",
            [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + Array(repeating: 0x41, count: 64),
            status: 400, closes: true),
        Case(
            "very long URI", rawPost(body, path: "/" + String(repeating: "a", count: 20_000)), status: 431, closes: true
        ),
        Case(
            "header fields over 16 KiB",
            rawHead(
                "POST /RPC2 HTTP/1.1",
                ["Host: x", "Content-Length: \(body.count)"]
                    + (0..<200).map { "X-Pad-\($0): " + String(repeating: "p", count: 100) }) + body, status: 431,
            closes: true),
        Case(
            "one header field over 16 KiB",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "X-Big: " + String(repeating: "b", count: 17_000)]), status: 431,
            closes: true),
        Case(
            "Content-Length over the limit", rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: 65537"]),
            status: 413, closes: true),
        Case(
            "chunked body over the limit",
            rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"])
                + chunked([UInt8](repeating: 0x20, count: 70_000), chunk: 8_192), status: 413, closes: true),
    ]

    @Test(arguments: cases)
    func edgeCaseGetsTheRightStatus(_ edge: Case) async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 5)
            client.send(edge.bytes)
            let reply = try client.readResponse()
            #expect(reply.status == edge.status, "\(reply.text.prefix(200))")
            #expect(reply.header("Access-Control-Allow-Origin") == "*")
            if reply.status == 200 {
                #expect(RPCResult(reply.body) == .string("2.0") || edge.label == "no body at all")
            }
            if edge.closes {
                #expect(reply.header("Connection")?.lowercased() == "close")
                #expect(client.isClosedByPeer())
            } else {
                // Keep-alive: the connection serves another request.
                try #require(client.send(rawPost(methodCall("init"))))
                #expect(RPCResult(try client.readResponse().body) == .string("2.0"))
            }
            expectServed(port)
        }
    }

    // MARK: Limits

    @Test func bodyAtTheLimitIsReadAndOneByteMoreIs413() async throws {
        try await withServer(configuredBy: { $0.maxBodyBytes = 2_048 }) { port throws in
            let padded = methodCall("init") + [UInt8](repeating: 0x20, count: 2_048 - methodCall("init").count)
            #expect(padded.count == 2_048)
            let atLimit = try post(port, padded)
            #expect(atLimit.status == 200)
            #expect(RPCResult(atLimit.body) == .string("2.0"))
            let client = try RawHTTPClient(port: port, timeout: 10)
            try #require(client.send(rawPost(padded + [0x20])))
            let over = try client.readResponse()
            #expect(over.status == 413)
            #expect(client.isClosedByPeer())
            // Chunked: counted as the chunks arrive.
            let chunkedClient = try RawHTTPClient(port: port, timeout: 10)
            try #require(
                chunkedClient.send(
                    rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"])
                        + Self.chunked(padded + [0x20], chunk: 100)))
            #expect(try chunkedClient.readResponse().status == 413)
            expectServed(port)
        }
    }

    /// `HEAD` gets its status and `Content-Length` but no body; the next reply on the connection follows at once.
    @Test func headRepliesHaveNoBody() async throws {
        try await withServer { port throws in
            let socket = try #require(IdleSocket(port: port))
            socket.send(rawHead("HEAD /RPC2 HTTP/1.1", ["Host: x"]) + rawPost(methodCall("init")))
            let text = String(decoding: socket.read(until: "</methodResponse>\n", within: 5), as: UTF8.self)
            let replies = text.split(separator: "HTTP/1.1 ", omittingEmptySubsequences: true)
            #expect(replies.count == 2)
            #expect(replies.first?.hasPrefix("405 ") == true)
            #expect(replies.first?.hasSuffix("\r\n\r\n") == true, "no body after the head")
            #expect(replies.first?.contains("Content-Length: ") == true)
            #expect(replies.last?.hasPrefix("200 ") == true)
            expectServed(port)
        }
    }

    /// `Expect: 100-continue`: the interim reply, then the real one.
    @Test func expectContinueGetsAnInterimReply() async throws {
        try await withServer { port throws in
            let socket = try #require(IdleSocket(port: port))
            socket.send(
                rawHead(
                    "POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: \(Self.body.count)", "Expect: 100-continue"]))
            let interim = String(decoding: socket.read(until: "\r\n\r\n", within: 5), as: UTF8.self)
            #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
            socket.send(Self.body)
            let text = String(decoding: socket.read(until: "</methodResponse>\n", within: 5), as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.contains("<string>2.0</string>"))
            expectServed(port)
        }
    }

    /// A chunked body that never ends: 413 once past the limit; the server drains what follows for a short
    /// while only (so the client can read the 413), keeping none of it, then closes.
    @Test func anEndlessChunkedBodyIsCutOffAt413() async throws {
        try await withServer { port throws in
            let socket = try #require(IdleSocket(port: port))
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(socket.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            socket.send(rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"]))
            let chunk = Array("2000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x2000) + Array("\r\n".utf8)
            let started = monotonicNow()
            while monotonicNow() - started < 10, socket.send(chunk) {}
            let cutOff = monotonicNow() - started
            #expect(cutOff < 5, "the server stopped taking the body after \(cutOff) s")
            #expect(socket.isClosed(within: 5))
            expectServed(port)
        }
    }

    /// At the limit a new connection is served: the oldest connection that never completed a request is closed
    /// to make room, at once, not at the idle timeout.
    @Test func aConnectionAtTheLimitTakesTheOldestSilentOnesPlace() async throws {
        try await withServer(configuredBy: { $0.maxConnections = 8 }) { port throws in
            let held = (0..<8).compactMap { _ in IdleSocket(port: port) }
            #expect(held.count == 8)
            // Let the server accept all eight.
            usleep(200_000)
            let started = monotonicNow()
            #expect(try call(port, "init") == .string("2.0"))
            #expect(held[0].isClosed(within: 2))
            #expect(monotonicNow() - started < timeLimit(1), "closed at once, not at the idle timeout")
            // The others are still open and served.
            #expect(held[1].send(rawPost(methodCall("init"))))
            #expect(
                String(decoding: held[1].read(until: "</methodResponse>", within: 5), as: UTF8.self).contains("2.0"))
            #expect(!held[2].isClosed(within: 0.2))
            _ = consume held
            expectServed(port)
        }
    }

    @Test func idleConnectionsAreClosedAfterTheIdleTimeout() async throws {
        try await withServer(configuredBy: { $0.idleTimeout = 1 }) { port throws in
            let silent = try #require(IdleSocket(port: port))
            let started = monotonicNow()
            #expect(silent.isClosed(within: 5))
            let waited = monotonicNow() - started
            #expect(waited > 0.7 && waited < timeLimit(3), "closed after \(waited) s")
            // After a request, the keep-alive connection gets the same time.
            let client = try RawHTTPClient(port: port, timeout: 10)
            try client.request(body: methodCall("init"))
            #expect(try client.readResponse().status == 200)
            let afterReply = monotonicNow()
            #expect(client.isClosedByPeer())
            #expect(monotonicNow() - afterReply < timeLimit(3))
            expectServed(port)
        }
    }

    /// Slow-loris: a client that sends its head a byte at a time never gets more than the idle timeout for the
    /// whole request, however steadily it trickles.
    @Test func slowLorisClientsAreClosedAtTheDeadline() async throws {
        try await withServer(configuredBy: { $0.idleTimeout = 1 }) { port throws in
            let head =
                Array("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Slow: ".utf8)
                + [UInt8](repeating: 0x61, count: 500)
            let slowHead = try #require(IdleSocket(port: port))
            let slowBody = try #require(IdleSocket(port: port))
            slowBody.send(rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: 1000"]))
            let started = monotonicNow()
            var headClosedAfter: Double?
            var bodyClosedAfter: Double?
            for byte in head where monotonicNow() - started < timeLimit(6) {
                if headClosedAfter == nil, !slowHead.send([byte]) || slowHead.isClosed(within: 0.1) {
                    headClosedAfter = monotonicNow() - started
                }
                if bodyClosedAfter == nil, !slowBody.send([0x20]) || slowBody.isClosed(within: 0.1) {
                    bodyClosedAfter = monotonicNow() - started
                }
                if headClosedAfter != nil, bodyClosedAfter != nil { break }
            }
            #expect(
                headClosedAfter.map { $0 < timeLimit(3) } == true,
                "slow head closed after \(String(describing: headClosedAfter)) s")
            #expect(
                bodyClosedAfter.map { $0 < timeLimit(3) } == true,
                "slow body closed after \(String(describing: bodyClosedAfter)) s")
            expectServed(port)
        }
    }

    // MARK: Clients that leave

    @Test func clientsThatLeaveMidRequestOrMidReplyLeaveNothingBehind() async throws {
        try await withServer { port throws in
            expectServed(port)
            // getAll waits for the first sample, which opens the files the collectors keep open.
            _ = try call(port, "getAll")
            let baseline = openDescriptorCount()
            for round in 0..<20 {
                // Mid-head, mid-body, with a FIN or a reset.
                if let socket = IdleSocket(port: port) {
                    socket.send(Array("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Le".utf8))
                    if round % 2 == 0 { socket.resetOnClose() }
                }
                if let socket = IdleSocket(port: port) {
                    socket.send(
                        rawHead("POST /RPC2 HTTP/1.1", ["Host: x", "Content-Length: 1000"])
                            + Array(repeating: 0x20, count: 10))
                    if round % 2 == 1 { socket.resetOnClose() }
                }
                // Mid-reply: many large replies asked for, none read, then a reset.
                if let socket = IdleSocket(port: port) {
                    let getAll = rawPost(methodCall("getAll"))
                    socket.send(Array((0..<20).map { _ in getAll }.joined()))
                    usleep(5_000)
                    socket.resetOnClose()
                }
                // Half-close after a complete request: the reply still comes.
                if round % 5 == 0, let socket = IdleSocket(port: port) {
                    socket.send(rawPost(methodCall("init")))
                    shutdown(socket.fd, Int32(SHUT_WR))
                    #expect(socket.isClosed(within: 3))
                }
            }
            expectServed(port)
            #expect(
                eventually(within: 5) { openDescriptorCount() <= baseline },
                "descriptors: \(baseline) before, \(openDescriptorCount()) after")
        }
    }

    /// A client that pipelines requests and never reads the replies: the server stops reading (it does not
    /// buffer requests or replies without bound), serves others meanwhile, and closes it at the deadline.
    @Test func aClientThatNeverReadsDoesNotBlockOthers() async throws {
        try await withServer(configuredBy: { $0.idleTimeout = 2 }) { port throws in
            let greedy = try #require(IdleSocket(port: port))
            var size = Int32(4_096)
            setsockopt(greedy.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
            setsockopt(greedy.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            // 16 KiB requests (the body padded with whitespace): 4,000 of them are 64 MiB, far more than the
            // kernel's socket buffers hold.
            let padded = methodCall("getAll") + [UInt8](repeating: 0x20, count: 16_000)
            let request = rawPost(padded)
            var sent = 0
            let started = monotonicNow()
            while sent < 4_000, monotonicNow() - started < 10, greedy.send(request) { sent += 1 }
            #expect(sent < 4_000, "the server stopped reading from a client that does not read")
            expectServed(port)
            #expect(greedy.isClosed(within: 10), "and closes it at the deadline")
            expectServed(port)
        }
    }
}
