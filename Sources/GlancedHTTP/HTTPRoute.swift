/// One entry of an ``HTTPRouteTable``: the methods and the path (exact, or a prefix) a responder answers.
///
/// A route that names `GET` also serves `HEAD` (its reply is sent without the body) and answers CORS
/// preflight `OPTIONS` requests itself, unless another route for the path names `HEAD` or `OPTIONS`.
package struct HTTPRoute: Sendable {
    /// Which request paths a route takes. Paths are compared as sent, byte for byte: no percent-decoding, no
    /// removal of dot segments, no case folding. The query string is never part of the path.
    package enum Match: Sendable, Hashable, CustomStringConvertible {
        /// This path only, e.g. `/RPC2`.
        case exact(String)
        /// This path and every path below it: `.prefix("/api")` and `.prefix("/api/")` both take `/api/4/cpu`;
        /// the first also takes `/api` itself, neither takes `/apix`.
        case prefix(String)

        /// Whether `path` is one this match takes.
        ///
        /// - Parameter path: A request path without the query string.
        /// - Returns: `true` for the exact path, or for a path under the prefix at a `/` boundary.
        package func matches(_ path: String) -> Bool {
            switch self {
            case .exact(let exact):
                return path == exact
            case .prefix(let prefix):
                let path = path.utf8
                let prefix = prefix.utf8
                guard path.starts(with: prefix) else { return false }
                if prefix.last == UInt8(ascii: "/") || path.count == prefix.count { return true }
                return path[path.index(path.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "/")
            }
        }

        /// The path it names.
        var path: String {
            switch self {
            case .exact(let path), .prefix(let path): path
            }
        }

        /// `/RPC2` for an exact path, `/api/*` for a prefix.
        package var description: String {
            switch self {
            case .exact(let path): path
            case .prefix(let path): path.hasSuffix("/") ? path + "*" : path + "/*"
            }
        }
    }

    /// The request methods served, as sent on the wire (methods are case-sensitive), e.g. `["POST"]`.
    package var methods: [String]
    /// The paths served.
    package var match: Match
    /// Answers the requests this route takes.
    package var responder: any HTTPResponder

    /// Creates a route.
    ///
    /// - Parameters:
    ///   - methods: The methods served, e.g. `["GET"]`; `GET` brings `HEAD` and preflight `OPTIONS` with it.
    ///   - match: The exact path or path prefix served.
    ///   - responder: Answers the requests.
    package init(methods: [String], match: Match, responder: any HTTPResponder) {
        self.methods = methods
        self.match = match
        self.responder = responder
    }
}

/// The routes of a server: which ``HTTPResponder`` answers a request, by method and path.
///
/// Exact routes are tried before prefix routes, each kind in the order given; the first that takes the path and
/// the method wins. So `/` can have a `POST` route and a `GET` route with different responders, and a prefix
/// route can serve what no exact route does.
package struct HTTPRouteTable: Sendable, ExpressibleByArrayLiteral {
    /// What ``resolve(method:path:)`` found for a request.
    package enum Resolution: Sendable {
        /// A route names the method: its responder answers.
        case route(HTTPRoute)
        /// A `HEAD` request on a path with a `GET` route: that route's responder answers, and the reply is sent
        /// with its header fields and `Content-Length` but without the body.
        case head(HTTPRoute)
        /// An `OPTIONS` request on a path with a `GET` route (a CORS preflight): answered by the server with
        /// 204; `allow` is the ``allowedMethods(path:)`` list, joined.
        case preflight(allow: String)
        /// Routes take the path but not the method: 405, with `allow` (the methods they take, joined) in `Allow`.
        case methodNotAllowed(allow: String)
        /// No route takes the path: 404.
        case notFound
    }

    /// The routes in the order given.
    package let routes: [HTTPRoute]
    /// The routes in the order tried: exact ones first.
    private let ordered: [HTTPRoute]

    /// Creates a table.
    ///
    /// - Parameter routes: The routes; exact paths are tried before prefixes, otherwise in this order.
    package init(_ routes: [HTTPRoute]) {
        self.routes = routes
        var exact: [HTTPRoute] = []
        var prefixes: [HTTPRoute] = []
        for route in routes {
            if case .exact = route.match { exact.append(route) } else { prefixes.append(route) }
        }
        self.ordered = exact + prefixes
    }

    /// Creates a table from an array literal; see ``init(_:)``.
    package init(arrayLiteral routes: HTTPRoute...) {
        self.init(routes)
    }

    /// Finds what answers `method` on `path`.
    ///
    /// - Parameters:
    ///   - method: The request method as sent, e.g. `"GET"`.
    ///   - path: The request path without the query string.
    /// - Returns: The first route that names `method` for `path`; else, for `HEAD`, the first `GET` route for
    ///   `path`; else, for `OPTIONS`, a preflight if a `GET` route takes `path`; else 405 if any route takes
    ///   `path`, 404 if none does.
    package func resolve(method: String, path: String) -> Resolution {
        var pathServed = false
        var getRoute: HTTPRoute? = nil
        for route in self.ordered where route.match.matches(path) {
            if route.methods.contains(method) { return .route(route) }
            pathServed = true
            if getRoute == nil, route.methods.contains("GET") { getRoute = route }
        }
        guard pathServed else { return .notFound }
        if method == "HEAD", let getRoute { return .head(getRoute) }
        let allow = self.allowedMethods(path: path).joined(separator: ", ")
        if method == "OPTIONS", getRoute != nil { return .preflight(allow: allow) }
        return .methodNotAllowed(allow: allow)
    }

    /// The methods served on `path`, for `Allow`: those the routes taking it name, in the order tried, with
    /// `HEAD` after `GET` and `OPTIONS` last when a route serves `GET`.
    ///
    /// - Parameter path: The request path without the query string.
    /// - Returns: The methods, each once; empty when no route takes `path`.
    package func allowedMethods(path: String) -> [String] {
        var methods: [String] = []
        for route in self.ordered where route.match.matches(path) {
            for method in route.methods where !methods.contains(method) {
                methods.append(method)
                if method == "GET", !methods.contains("HEAD") { methods.append("HEAD") }
            }
        }
        if methods.contains("GET") {
            // `HEAD` may have come before `GET` from another route: it stays where it was, once.
            if let options = methods.firstIndex(of: "OPTIONS") { methods.remove(at: options) }
            methods.append("OPTIONS")
        }
        return methods
    }
}
