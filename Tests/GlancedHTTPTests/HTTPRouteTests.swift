import GlancedHTTP
import Testing

/// Answers every request with 200 and its tag as the body, so a test can tell which route took a request.
struct TaggedResponder: HTTPResponder {
    var tag: String

    func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        reply(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array(self.tag.utf8)))
    }
}

/// A route to a ``TaggedResponder``.
func route(_ methods: [String], _ match: HTTPRoute.Match, _ tag: String) -> HTTPRoute {
    HTTPRoute(methods: methods, match: match, responder: TaggedResponder(tag: tag))
}

/// The tag of the responder a route leads to.
func tag(of route: HTTPRoute) -> String? {
    (route.responder as? TaggedResponder)?.tag
}

extension HTTPRouteTable.Resolution {
    /// The tag of the route served (`.route`), or `nil`.
    var routeTag: String? {
        if case .route(let route) = self { tag(of: route) } else { nil }
    }

    /// The tag of the GET route serving a HEAD request (`.head`), or `nil`.
    var headTag: String? {
        if case .head(let route) = self { tag(of: route) } else { nil }
    }

    /// The `Allow` value of a 405, or `nil`.
    var notAllowed: String? {
        if case .methodNotAllowed(let allow) = self { allow } else { nil }
    }

    /// The `Allow` value of a preflight, or `nil`.
    var preflight: String? {
        if case .preflight(let allow) = self { allow } else { nil }
    }

    var isNotFound: Bool {
        if case .notFound = self { true } else { false }
    }
}

/// What glanced will serve: XML-RPC on POST, a web page on GET /, a REST API under /api, Prometheus on /metrics.
let siteRoutes: HTTPRouteTable = [
    route(["POST"], .exact("/RPC2"), "rpc"),
    route(["POST"], .exact("/"), "rpc"),
    route(["GET"], .exact("/"), "web"),
    route(["GET"], .prefix("/api"), "api"),
    route(["GET"], .exact("/metrics"), "metrics"),
]

@Suite("route table")
struct HTTPRouteTableTests {
    @Test("a path no route takes: not found, whatever the method", arguments: ["GET", "POST", "HEAD", "OPTIONS"])
    func notFound(method: String) {
        #expect(siteRoutes.resolve(method: method, path: "/nope").isNotFound)
        #expect(siteRoutes.resolve(method: method, path: "/RPC2/x").isNotFound)
        #expect(siteRoutes.resolve(method: method, path: "/apix").isNotFound)
        #expect(HTTPRouteTable([]).resolve(method: method, path: "/").isNotFound)
    }

    @Test("the method picks the route on a path with several")
    func methodPicksRoute() {
        #expect(siteRoutes.resolve(method: "POST", path: "/").routeTag == "rpc")
        #expect(siteRoutes.resolve(method: "GET", path: "/").routeTag == "web")
        #expect(siteRoutes.resolve(method: "POST", path: "/RPC2").routeTag == "rpc")
        #expect(siteRoutes.resolve(method: "GET", path: "/metrics").routeTag == "metrics")
        // Methods are case-sensitive.
        #expect(siteRoutes.resolve(method: "get", path: "/metrics").notAllowed == "GET, HEAD, OPTIONS")
    }

    @Test("405 lists the methods of the routes for the path, HEAD and OPTIONS with GET")
    func allow() {
        #expect(siteRoutes.resolve(method: "GET", path: "/RPC2").notAllowed == "POST")
        #expect(siteRoutes.resolve(method: "PUT", path: "/RPC2").notAllowed == "POST")
        #expect(siteRoutes.resolve(method: "DELETE", path: "/").notAllowed == "POST, GET, HEAD, OPTIONS")
        #expect(siteRoutes.resolve(method: "POST", path: "/metrics").notAllowed == "GET, HEAD, OPTIONS")
        #expect(siteRoutes.resolve(method: "POST", path: "/api/4/cpu").notAllowed == "GET, HEAD, OPTIONS")
        let table: HTTPRouteTable = [
            route(["GET", "PUT"], .exact("/x"), "a"), route(["POST", "PUT", "OPTIONS"], .exact("/x"), "b"),
        ]
        #expect(table.resolve(method: "PATCH", path: "/x").notAllowed == "GET, HEAD, PUT, POST, OPTIONS")
        #expect(table.allowedMethods(path: "/x") == ["GET", "HEAD", "PUT", "POST", "OPTIONS"])
        #expect(table.allowedMethods(path: "/y") == [])
    }

    @Test("HEAD is served by the GET route of the path")
    func head() {
        #expect(siteRoutes.resolve(method: "HEAD", path: "/").headTag == "web")
        #expect(siteRoutes.resolve(method: "HEAD", path: "/api/4/all").headTag == "api")
        #expect(siteRoutes.resolve(method: "HEAD", path: "/RPC2").notAllowed == "POST")
        // A route that names HEAD itself takes it.
        let table: HTTPRouteTable = [route(["GET"], .exact("/x"), "get"), route(["HEAD"], .exact("/x"), "head")]
        #expect(table.resolve(method: "HEAD", path: "/x").routeTag == "head")
    }

    @Test("OPTIONS on a path with a GET route is a preflight; on a POST-only path, 405")
    func options() {
        #expect(siteRoutes.resolve(method: "OPTIONS", path: "/").preflight == "POST, GET, HEAD, OPTIONS")
        #expect(siteRoutes.resolve(method: "OPTIONS", path: "/api/4/cpu").preflight == "GET, HEAD, OPTIONS")
        #expect(siteRoutes.resolve(method: "OPTIONS", path: "/RPC2").notAllowed == "POST")
        // A route that names OPTIONS itself takes it.
        let table: HTTPRouteTable = [route(["GET"], .exact("/x"), "get"), route(["OPTIONS"], .exact("/x"), "opt")]
        #expect(table.resolve(method: "OPTIONS", path: "/x").routeTag == "opt")
    }

    @Test("prefix routes take the prefix and what is below it, at a / boundary")
    func prefixes() {
        let bare = HTTPRoute.Match.prefix("/api")
        #expect(bare.matches("/api"))
        #expect(bare.matches("/api/"))
        #expect(bare.matches("/api/4/cpu"))
        #expect(!bare.matches("/apix"))
        #expect(!bare.matches("/ap"))
        #expect(!bare.matches("/"))
        let slashed = HTTPRoute.Match.prefix("/api/")
        #expect(slashed.matches("/api/4"))
        #expect(slashed.matches("/api/"))
        #expect(!slashed.matches("/api"))
        #expect(HTTPRoute.Match.prefix("/").matches("/anything/at/all"))
        #expect(HTTPRoute.Match.exact("/RPC2").matches("/RPC2"))
        #expect(!HTTPRoute.Match.exact("/RPC2").matches("/RPC2/"))
        #expect(!HTTPRoute.Match.exact("/RPC2").matches("/rpc2"))
        #expect(siteRoutes.resolve(method: "GET", path: "/api").routeTag == "api")
        #expect(siteRoutes.resolve(method: "GET", path: "/api/4/mem/used").routeTag == "api")
    }

    @Test("exact routes before prefix routes; otherwise the first in the table")
    func order() {
        let table: HTTPRouteTable = [
            route(["GET"], .prefix("/"), "catch-all"),
            route(["GET"], .prefix("/static"), "static"),
            route(["GET"], .exact("/metrics"), "metrics"),
            route(["GET"], .exact("/metrics"), "shadowed"),
        ]
        #expect(table.resolve(method: "GET", path: "/metrics").routeTag == "metrics")
        #expect(table.resolve(method: "GET", path: "/other").routeTag == "catch-all")
        #expect(table.resolve(method: "GET", path: "/static/app.js").routeTag == "catch-all")
        #expect(table.routes.map(tag(of:)) == ["catch-all", "static", "metrics", "shadowed"])
    }
}

@Suite("request screen")
struct HTTPRequestScreenTests {
    static let screen = HTTPRequestScreen(routes: siteRoutes, maxBodyBytes: 1000, authenticator: nil)
    static let guarded = HTTPRequestScreen(
        routes: siteRoutes, maxBodyBytes: 1000,
        authenticator: BasicAuthenticator(realm: "glanced") { $0 == "glances" && $1 == "secret" })
    /// `Authorization` for glances:secret.
    static let credentials: (name: String, value: String) = ("Authorization", "Basic Z2xhbmNlczpzZWNyZXQ=")

    static func admitted(_ decision: HTTPRequestScreen.Decision) -> HTTPRequestScreen.Admission? {
        if case .readBody(let admission) = decision { admission } else { nil }
    }

    static func rejected(_ decision: HTTPRequestScreen.Decision) -> HTTPRequestScreen.EarlyReply? {
        if case .reject(let reply) = decision { reply } else { nil }
    }

    static func preflight(_ decision: HTTPRequestScreen.Decision) -> HTTPRequestScreen.EarlyReply? {
        if case .preflight(let reply) = decision { reply } else { nil }
    }

    @Test("a request for a route: read the body for it, path and query apart")
    func admitted() throws {
        let admission = try #require(
            Self.admitted(
                Self.screen.screen(method: "POST", uri: "/RPC2", headers: [("Content-Length", "12")])))
        #expect(tag(of: admission.route) == "rpc")
        #expect(admission.path == "/RPC2")
        #expect(admission.query == nil)
        #expect(admission.declaredBodyBytes == 12)
        #expect(!admission.omitsBody)
        #expect(!admission.sendsContinue)
    }

    @Test(
        "the query string is not matched, and is kept",
        arguments: [
            ("/RPC2?x=1&y", "/RPC2", "x=1&y"),
            ("/RPC2?", "/RPC2", ""),
            ("/RPC2#frag", "/RPC2", nil),
            ("/RPC2?a=b#frag", "/RPC2", "a=b"),
            ("http://127.0.0.1:61209/RPC2?q=1", "/RPC2", "q=1"),
            ("http://host", "/", nil),
            ("http://host?q", "/", "q"),
        ] as [(String, String, String?)])
    func query(uri: String, path: String, query: String?) throws {
        let admission = try #require(Self.admitted(Self.screen.screen(method: "POST", uri: uri, headers: [])))
        #expect(admission.path == path)
        #expect(admission.query == query)
        #expect(tag(of: admission.route) == "rpc")
    }

    @Test("a GET on a prefix route, with a query")
    func prefixWithQuery() throws {
        let admission = try #require(
            Self.admitted(Self.screen.screen(method: "GET", uri: "/api/4/cpu?fields=total", headers: [])))
        #expect(tag(of: admission.route) == "api")
        #expect(admission.path == "/api/4/cpu")
        #expect(admission.query == "fields=total")
    }

    @Test("404 for a path no route takes, the query not helping")
    func notFound() throws {
        for uri in ["/nope", "/nope?/RPC2", "http://x/nope"] {
            let reply = try #require(Self.rejected(Self.screen.screen(method: "POST", uri: uri, headers: [])))
            #expect(reply.status == 404)
            #expect(reply.headers.isEmpty)
            #expect(!reply.closesConnection)
        }
    }

    @Test("405 with the exact Allow value")
    func methodNotAllowed() throws {
        let get = try #require(Self.rejected(Self.screen.screen(method: "GET", uri: "/RPC2", headers: [])))
        #expect(get.status == 405)
        #expect(get.header("Allow") == "POST")
        #expect(get.headers.count == 1)
        #expect(!get.closesConnection)
        let put = try #require(Self.rejected(Self.screen.screen(method: "PUT", uri: "/?x", headers: [])))
        #expect(put.status == 405)
        #expect(put.header("allow") == "POST, GET, HEAD, OPTIONS")
    }

    @Test("HEAD on a GET route: that route, reply without body")
    func head() throws {
        let admission = try #require(Self.admitted(Self.screen.screen(method: "HEAD", uri: "/", headers: [])))
        #expect(tag(of: admission.route) == "web")
        #expect(admission.omitsBody)
        let get = try #require(Self.admitted(Self.screen.screen(method: "GET", uri: "/", headers: [])))
        #expect(!get.omitsBody)
        let rpc = try #require(Self.rejected(Self.screen.screen(method: "HEAD", uri: "/RPC2", headers: [])))
        #expect(rpc.status == 405)
        #expect(rpc.header("Allow") == "POST")
    }

    @Test("OPTIONS on a GET route: a 204 preflight with the CORS fields, without credentials")
    func preflight() throws {
        for screen in [Self.screen, Self.guarded] {
            let headers: [(name: String, value: String)] = [
                ("Origin", "http://example.com"), ("Access-Control-Request-Method", "GET"),
            ]
            let reply = try #require(
                Self.preflight(screen.screen(method: "OPTIONS", uri: "/api/4/cpu", headers: headers)))
            #expect(reply.status == 204)
            #expect(reply.header("Allow") == "GET, HEAD, OPTIONS")
            #expect(reply.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS")
            #expect(reply.header("Access-Control-Allow-Headers") == "Authorization, Content-Type")
            #expect(reply.header("Access-Control-Max-Age") == "600")
            #expect(!reply.closesConnection)
        }
        let root = try #require(Self.preflight(Self.guarded.screen(method: "OPTIONS", uri: "/?a", headers: [])))
        #expect(root.header("Allow") == "POST, GET, HEAD, OPTIONS")
    }

    @Test("OPTIONS on a POST-only route: 405; and it needs credentials like any request but a preflight")
    func optionsOnPostRoute() throws {
        let reply = try #require(Self.rejected(Self.screen.screen(method: "OPTIONS", uri: "/RPC2", headers: [])))
        #expect(reply.status == 405)
        #expect(reply.header("Allow") == "POST")
        let guarded = try #require(Self.rejected(Self.guarded.screen(method: "OPTIONS", uri: "/RPC2", headers: [])))
        #expect(guarded.status == 401)
        let unknown = try #require(Self.rejected(Self.guarded.screen(method: "OPTIONS", uri: "/nope", headers: [])))
        #expect(unknown.status == 401)
    }

    @Test("with authentication, 401 comes first: before 404, 405 and 413")
    func authFirst() throws {
        let cases: [(method: String, uri: String, length: String, status: Int)] = [
            ("POST", "/RPC2", "10", 200), ("POST", "/nope", "10", 404), ("GET", "/RPC2", "0", 405),
            ("POST", "/RPC2", "5000", 413), ("GET", "/metrics", "0", 200),
        ]
        for test in cases {
            let anonymous = Self.guarded.screen(
                method: test.method, uri: test.uri, headers: [("Content-Length", test.length)])
            let challenge = try #require(Self.rejected(anonymous))
            #expect(challenge.status == 401)
            #expect(challenge.header("WWW-Authenticate") == "Basic realm=\"glanced\"")
            let wrong = Self.guarded.screen(
                method: test.method, uri: test.uri,
                headers: [("Content-Length", test.length), ("authorization", "Basic Z2xhbmNlczp4")])
            #expect(Self.rejected(wrong)?.status == 401)
            let signed = Self.guarded.screen(
                method: test.method, uri: test.uri, headers: [("Content-Length", test.length), Self.credentials])
            if test.status == 200 {
                #expect(Self.admitted(signed) != nil)
            } else {
                #expect(Self.rejected(signed)?.status == test.status)
            }
        }
    }

    @Test("413 for a declared body over the limit, 400 for an unreadable length, at the head; both close")
    func limits() throws {
        let over = try #require(
            Self.rejected(Self.screen.screen(method: "POST", uri: "/RPC2", headers: [("Content-Length", "1001")])))
        #expect(over.status == 413)
        #expect(over.closesConnection)
        let atLimit = try #require(
            Self.admitted(Self.screen.screen(method: "POST", uri: "/RPC2", headers: [("content-length", "1000")])))
        #expect(atLimit.declaredBodyBytes == 1000)
        for length in ["ten", "-5", "+5", "", "99999999999999999999999"] {
            let reply = try #require(
                Self.rejected(Self.screen.screen(method: "POST", uri: "/RPC2", headers: [("Content-Length", length)])))
            #expect(reply.status == 400, "Content-Length: \(length)")
            #expect(reply.closesConnection)
        }
        // The route comes first: a long body to an unknown path is a 404, which then closes (not worth draining).
        let unknown = try #require(
            Self.rejected(Self.screen.screen(method: "POST", uri: "/nope", headers: [("Content-Length", "1001")])))
        #expect(unknown.status == 404)
        #expect(unknown.closesConnection)
    }

    @Test("Expect: 100-continue: sent for HTTP/1.1 when the body is read; an early reply closes instead")
    func expectContinue() throws {
        let headers: [(name: String, value: String)] = [("Content-Length", "4"), ("Expect", "100-Continue")]
        let admitted = try #require(Self.admitted(Self.screen.screen(method: "POST", uri: "/", headers: headers)))
        #expect(admitted.sendsContinue)
        let http10 = try #require(
            Self.admitted(Self.screen.screen(method: "POST", uri: "/", version: (1, 0), headers: headers)))
        #expect(!http10.sendsContinue)
        let refused = try #require(Self.rejected(Self.screen.screen(method: "POST", uri: "/nope", headers: headers)))
        #expect(refused.status == 404)
        #expect(refused.closesConnection)
    }
}
