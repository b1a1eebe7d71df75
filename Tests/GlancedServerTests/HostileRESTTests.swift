import GlancedServer
import GlancedTestSupport
import Glibc
import Testing

/// The REST routes against hostile requests on a real server: odd paths, encodings, methods and headers each
/// get the right status, every JSON reply parses, and the next client is served normally.
@Suite struct HostileRESTTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var method: String
        var path: String
        var headers: [(String, String)]
        var statuses: Set<Int>

        init(
            _ label: String, method: String = "GET", _ path: String, headers: [(String, String)] = [],
            _ statuses: Int...
        ) {
            self.label = label
            self.method = method
            self.path = path
            self.headers = headers
            self.statuses = Set(statuses)
        }

        var testDescription: String { label }
    }

    static let longSegment = String(repeating: "a", count: 15_000)

    static let cases: [Case] = [
        Case("a plugin", "/api/2/cpu", 200),
        Case("an encoded plugin name", "/api/2/%63%70%75", 200),
        Case("encoded slash in a value", "/api/2/fs/mnt_point/%2F", 200, 404),
        Case("dot segments", "/api/2/../2/cpu", 400),
        Case("encoded dot segments", "/api/2/%2e%2e/cpu", 400),
        Case("double slash", "/api//2/cpu", 404),
        Case("double slash after the generation", "/api/2//cpu", 404),
        Case("NUL, encoded", "/api/2/cpu%00", 400),
        Case("invalid UTF-8, encoded", "/api/2/%ff%fe", 400),
        Case("a long path under the head limit", "/api/2/" + longSegment, 400),
        Case("a long query string", "/api/2/cpu?" + String(repeating: "q=1&", count: 3_000), 200),
        Case("an unknown generation", "/api/9/cpu", 404),
        Case("no generation", "/api", 404),
        Case("a generation that is not a number", "/api/x/cpu", 404),
        Case("an unknown item", "/api/2/cpu/nope", 404),
        Case("too deep", "/api/2/cpu/user/a/b/c/d", 404),
        Case("a negative history count", "/api/2/load/history/-1", 404),
        Case("a huge history count", "/api/2/load/history/99999999999999999999999", 404),
        Case("HEAD", method: "HEAD", "/api/2/cpu", 200),
        Case("TRACE", method: "TRACE", "/api/2/cpu", 405),
        Case("PUT", method: "PUT", "/api/2/cpu", 405),
        Case("PATCH", method: "PATCH", "/api/2/cpu", 405),
        Case("DELETE", method: "DELETE", "/api/2/cpu", 405),
        Case("POST", method: "POST", "/api/2/cpu", 405),
        Case("OPTIONS preflight", method: "OPTIONS", "/api/2/cpu", headers: [("Origin", "http://x")], 204),
        Case(
            "absurd Accept and Accept-Encoding", "/api/2/cpu",
            headers: [
                ("Accept", String(repeating: "x/y;q=0.1, ", count: 500)), ("Accept-Encoding", "gzip;q=2, *;q=-1, br"),
            ],
            200),
        Case(
            "a long Origin", "/api/2/cpu", headers: [("Origin", "http://" + String(repeating: "o", count: 8_000))], 200),
        // A control byte in a field value cannot be framed safely: 400, and the connection is closed.
        Case("a control byte in Origin", "/api/2/cpu", headers: [("Origin", "http://\u{7F}x")], 400),
        Case("GET on the XML-RPC path", "/RPC2", 405),
    ]

    @Test(arguments: cases)
    func hostileRequestGetsTheRightStatus(_ edge: Case) async throws {
        try await withServer { port throws in
            var client = try RawHTTPClient(port: port, timeout: 10)
            client.lastRequestWasHead = edge.method == "HEAD"
            try client.request(edge.method, path: edge.path, headers: edge.headers)
            let reply = try client.readResponse()
            client.lastRequestWasHead = false
            #expect(edge.statuses.contains(reply.status), "\(reply.status) \(reply.text.prefix(200))")
            #expect(reply.header("Access-Control-Allow-Origin") == "*")
            if reply.status == 200, edge.method == "GET", reply.header("Content-Encoding") == nil {
                #expect((try? JSONValue.parse(reply.body)) != nil, "\(reply.text.prefix(200))")
            }
            if edge.method == "HEAD" {
                #expect(reply.body.isEmpty && Int(reply.header("Content-Length") ?? "") ?? 0 > 0)
            }
            // The same connection (unless the request could not be framed), and a new one, are served normally.
            if reply.header("Connection")?.lowercased() == "close" {
                #expect(reply.status == 400 && client.isClosedByPeer())
                client = try RawHTTPClient(port: port, timeout: 10)
            }
            try client.request("GET", path: "/api/2/load")
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect((try? JSONValue.parse(next.body))?["min1"] != nil)
            expectServed(port)
        }
    }

    /// A client that asks for ever new paths cannot grow the per-sample cache without end: the replies stay right.
    @Test func manyDistinctPathsAreAnsweredAndNotAllKept() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            for index in 0..<700 {
                try client.request("GET", path: "/api/2/cpu/nope\(index)")
                #expect(try client.readResponse().status == 404)
            }
            try client.request("GET", path: "/api/2/cpu/user")
            let reply = try client.readResponse()
            #expect(reply.status == 200 && reply.text.hasPrefix(#"{"user": "#))
        }
    }
}
