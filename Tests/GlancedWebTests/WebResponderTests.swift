import GlancedCompression
import GlancedHTTP
import GlancedTestSupport
import GlancedWeb
import Glibc
import Logging
import Testing

/// The dashboard's responder, called directly and through a real server on loopback.
@Suite struct WebResponderTests {
    static let responder = WebResponder(version: "9.8.7", apiGeneration: 4)

    /// The reply to one request, taken synchronously (the responder answers before it returns).
    static func answer(_ path: String, query: String? = nil, headers: [(name: String, value: String)] = [])
        -> HTTPResponse
    {
        let box = ReplyBox()
        responder.respond(to: HTTPRequest(method: "GET", path: path, query: query, headers: headers)) { box.set($0) }
        guard let response = box.response else {
            Issue.record("no synchronous reply for \(path)")
            return HTTPResponse(status: 0)
        }
        return response
    }

    @Test("the page: HTML with the version, the API generation and its files pinned by tag; the security fields")
    func page() throws {
        let reply = Self.answer("/")
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
        #expect(reply.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        #expect(reply.header("Content-Security-Policy")?.contains("script-src 'self';") == true)
        #expect(reply.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(reply.header("X-Content-Type-Options") == "nosniff")
        #expect(reply.header("Referrer-Policy") == "no-referrer")
        #expect(reply.header("Cache-Control") == "no-cache")
        let html = String(decoding: reply.body, as: UTF8.self)
        #expect(html.contains(#"<meta name="glanced-version" content="9.8.7">"#))
        #expect(html.contains(#"<meta name="glanced-api" content="4">"#))
        #expect(!html.contains("@GLANCED_"))
        let app = Self.answer("/static/app.js")
        let tag = try #require(app.header("ETag"))
        #expect(html.contains("\"/static/app.js?v=\(tag.dropFirst().dropLast())\""))
        // No inline script or style: the policy would block it.
        #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains("style=\""))
    }

    @Test("ETag: a hash of the bytes; If-None-Match with it (alone, in a list, weak, or *) gives 304 without body")
    func notModified() throws {
        let first = Self.answer("/static/style.css")
        let tag = try #require(first.header("ETag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 18)
        for condition in [tag, "\"other\", \(tag)", "W/\(tag)", "*"] {
            let again = Self.answer("/static/style.css", headers: [("If-None-Match", condition)])
            #expect(again.status == 304, "If-None-Match: \(condition)")
            #expect(again.body.isEmpty)
            #expect(again.header("ETag") == tag)
            #expect(again.header("Content-Security-Policy") != nil)
        }
        #expect(Self.answer("/static/style.css", headers: [("If-None-Match", "\"0000\"")]).status == 200)
        #expect(Self.answer("/").header("ETag") != tag)
    }

    @Test("gzip made once, for clients that accept it; it inflates to the plain body")
    func gzip() throws {
        for path in ["/", "/static/app.js", "/static/style.css"] {
            let plain = Self.answer(path)
            let gzipped = Self.answer(path, headers: [("Accept-Encoding", "gzip, deflate")])
            #expect(plain.header("Content-Encoding") == nil)
            #expect(gzipped.header("Content-Encoding") == "gzip")
            #expect(gzipped.header("Vary") == "Accept-Encoding")
            #expect(gzipped.body.count < plain.body.count / 2)
            #expect(Gzip.decompress(gzipped.body) == plain.body)
            #expect(gzipped.header("ETag") == plain.header("ETag"))
        }
    }

    @Test("files: their media types; a year of caching only when pinned by the current tag")
    func files() throws {
        let types = [
            "/static/app.js": "text/javascript; charset=utf-8", "/static/style.css": "text/css; charset=utf-8",
            "/static/favicon.svg": "image/svg+xml",
        ]
        for (path, type) in types {
            let reply = Self.answer(path)
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == type)
            #expect(reply.header("Cache-Control") == "no-cache")
            let tag = try #require(reply.header("ETag"))
            let pinned = Self.answer(path, query: "v=\(tag.dropFirst().dropLast())")
            #expect(pinned.header("Cache-Control") == "public, max-age=31536000, immutable")
            #expect(Self.answer(path, query: "v=stale").header("Cache-Control") == "no-cache")
        }
    }

    @Test(
        "unknown files: 404", arguments: ["/static/", "/static/nope.js", "/static/app.js/x", "/static", "/index.html"])
    func unknown(path: String) {
        let reply = Self.answer(path)
        #expect(reply.status == 404)
        #expect(reply.header("Content-Security-Policy") != nil)
    }

    @Test("the built-in files are Web/ as it is now (Tools/embed-web.sh was run)")
    func embeddedFilesUpToDate() throws {
        let web = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
        for (name, text) in webAssetFiles {
            let onDisk = FuzzCorpus.read("/" + web + "/Web/" + name)
            #expect(onDisk == Array(text.utf8), "Web/\(name) differs from the built-in copy: run Tools/embed-web.sh")
        }
        #expect(Set(webAssetFiles.map(\.name)).isSuperset(of: ["index.html", "app.js", "style.css", "favicon.svg"]))
    }

    @Test("over HTTP: GET / beside POST / (another responder), HEAD without body, 304, 404, gzip")
    func overHTTP() async throws {
        let routes: HTTPRouteTable = [
            HTTPRoute(methods: ["POST"], match: .exact("/"), responder: FixedResponder()),
            HTTPRoute(methods: ["GET"], match: .exact("/"), responder: Self.responder),
            HTTPRoute(methods: ["GET"], match: .prefix("/static"), responder: Self.responder),
        ]
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = HTTPServer(
            configuration: configuration, routes: routes,
            logger: Logger(label: "glanced.web.test") { _ in SwiftLogNoOpLogHandler() })
        let port = try await server.start()
        do {
            try Self.exchange(port: port)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    /// The requests of ``overHTTP()``, on one connection.
    static func exchange(port: Int) throws {
        let connection = try RawHTTPClient(port: port)
        defer { connection.close() }

        try connection.request("GET", path: "/")
        let page = try connection.readResponse()
        #expect(page.status == 200)
        #expect(page.text.hasPrefix("<!DOCTYPE html>"))
        #expect(page.header("Access-Control-Allow-Origin") == "*")
        let tag = try #require(page.header("ETag"))

        try connection.request("POST", path: "/", body: Array("x".utf8))
        #expect(try connection.readResponse().text == "rpc")

        connection.lastRequestWasHead = true
        try connection.request("HEAD", path: "/static/app.js")
        let head = try connection.readResponse()
        #expect(head.status == 200)
        #expect(head.header("Content-Length").flatMap { Int($0) } ?? 0 > 1000)
        #expect(head.header("Content-Security-Policy") != nil)
        connection.lastRequestWasHead = false

        try connection.request("GET", path: "/", headers: [("If-None-Match", tag)])
        let notModified = try connection.readResponse()
        #expect(notModified.status == 304)
        #expect(notModified.header("ETag") == tag)

        try connection.request("GET", path: "/static/missing.css")
        #expect(try connection.readResponse().status == 404)

        try connection.request("GET", path: "/static/app.js", headers: [("Accept-Encoding", "gzip")])
        let gzipped = try connection.readResponse()
        #expect(gzipped.header("Content-Encoding") == "gzip")
        #expect(gzipped.headers("Vary").count == 1)
        #expect(Gzip.decompress(gzipped.body).map { String(decoding: $0, as: UTF8.self).contains("glanced") } == true)

        try connection.request("PUT", path: "/")
        #expect(try connection.readResponse().status == 405)
    }
}

/// A responder that answers `rpc`: stands for XML-RPC on `POST /`.
struct FixedResponder: HTTPResponder {
    func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        reply(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("rpc".utf8)))
    }
}

/// Holds a reply given synchronously.
final class ReplyBox: @unchecked Sendable {
    // Written and read on the calling thread only: the responder replies before `respond` returns.
    var response: HTTPResponse?
    func set(_ response: HTTPResponse) { self.response = response }
}

extension HTTPResponse {
    /// The first field called `name`, compared without case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
