/// What the server does with a request, decided from its head alone, before any of the body is read.
///
/// The checks run in this order: a CORS preflight (`OPTIONS` on a path with a `GET` route) is answered at once,
/// without authentication, since browsers send preflights without credentials; then 401 if the
/// ``authenticator`` rejects the request; 404 if no route takes the path; 405 if routes take the path but not the
/// method; 400 for an unreadable `Content-Length`, 413 for one over ``maxBodyBytes``; otherwise the body is read
/// for the route. A pure value: the connection handler applies its decisions, tests call it directly.
package struct HTTPRequestScreen: Sendable {
    /// What to do with a request.
    package enum Decision: Sendable {
        /// Read the body, then ask the route's responder.
        case readBody(Admission)
        /// Answer at once with an error page; the body (if any) is not read.
        case reject(EarlyReply)
        /// Answer a CORS preflight at once: 204, no body; the request body (if any) is not read.
        case preflight(EarlyReply)
    }

    /// A request that passed the screen.
    package struct Admission: Sendable {
        /// The route whose responder answers.
        package var route: HTTPRoute
        /// The request path, without the query string.
        package var path: String
        /// The query string, without `?` and without any fragment; `nil` when the target has no `?`.
        package var query: String?
        /// Whether the reply is sent without its body (a `HEAD` request).
        package var omitsBody: Bool
        /// The body length the request declares (`Content-Length`), 0 without one (e.g. chunked).
        package var declaredBodyBytes: Int
        /// Whether the client waits for `100 Continue` before sending the body (RFC 9110 §10.1.1).
        package var sendsContinue: Bool
    }

    /// A reply given at the head, before the body is read.
    package struct EarlyReply: Sendable {
        /// The status code, e.g. 405.
        package var status: Int
        /// The header fields of this reply beyond the ones every reply carries, e.g. `Allow`.
        package var headers: [(name: String, value: String)]
        /// Whether the connection must close after the reply whatever the client asked: the body is left unread
        /// and is too long (or too uncertain, e.g. withheld for `100 Continue`) to drain.
        package var closesConnection: Bool

        /// The value of the first field called `name` (compared case-insensitively), if any.
        ///
        /// - Parameter name: The field name, e.g. `"Allow"`.
        /// - Returns: The value, or `nil` without such a field.
        package func header(_ name: String) -> String? {
            self.headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
        }
    }

    /// The routes.
    package var routes: HTTPRouteTable
    /// The largest request body accepted.
    package var maxBodyBytes: Int
    /// HTTP Basic authentication, or `nil` to serve everyone.
    package var authenticator: BasicAuthenticator?

    /// `Access-Control-Allow-Headers` on preflight replies: what glanced's clients send.
    package static let preflightAllowHeaders = "Authorization, Content-Type"
    /// `Access-Control-Max-Age` on preflight replies, in seconds: how long a browser may cache the answer.
    package static let preflightMaxAge = 600

    /// Creates a screen.
    ///
    /// - Parameters:
    ///   - routes: The route table.
    ///   - maxBodyBytes: The largest request body accepted.
    ///   - authenticator: HTTP Basic authentication, or `nil`.
    package init(routes: HTTPRouteTable, maxBodyBytes: Int, authenticator: BasicAuthenticator?) {
        self.routes = routes
        self.maxBodyBytes = maxBodyBytes
        self.authenticator = authenticator
    }

    /// Decides what to do with a request from its head.
    ///
    /// - Parameters:
    ///   - method: The method as sent, e.g. `"POST"`.
    ///   - uri: The request target: origin form (`/RPC2?x=1`) or absolute form (`http://host/RPC2`).
    ///   - version: The HTTP version; `100 Continue` is sent only to HTTP/1.1 and later.
    ///   - headers: The header fields.
    /// - Returns: The decision; see the type's description for the order of the checks.
    package func screen(
        method: String,
        uri: String,
        version: (major: Int, minor: Int) = (1, 1),
        headers: [(name: String, value: String)]
    ) -> Decision {
        let target = Self.split(target: uri)
        let path = String(target.path)
        let expectsContinue =
            (version.major > 1 || (version.major == 1 && version.minor >= 1))
            && Self.field("expect", in: headers).map { ASCII.equalsIgnoringCase($0, "100-continue") } ?? false
        let contentLength = Self.field("content-length", in: headers)

        func early(_ status: Int, _ fields: [(name: String, value: String)] = []) -> EarlyReply {
            // A body not read is drained to keep the connection, unless it is too long to be worth it, its length
            // is unknown, or the client withholds it (waiting for a `100 Continue` that will not come).
            let bodyTooLong = contentLength.flatMap(Self.decimal).map { $0 > self.maxBodyBytes } ?? false
            let closes = status == 413 || status == 400 || bodyTooLong || expectsContinue
            return EarlyReply(status: status, headers: fields, closesConnection: closes)
        }

        let resolution = self.routes.resolve(method: method, path: path)
        if case .preflight(let allow) = resolution {
            return .preflight(
                early(
                    204,
                    [
                        ("Allow", allow),
                        ("Access-Control-Allow-Methods", allow),
                        ("Access-Control-Allow-Headers", Self.preflightAllowHeaders),
                        ("Access-Control-Max-Age", String(Self.preflightMaxAge)),
                    ]))
        }
        if let authenticator = self.authenticator,
            !authenticator.accepts(
                authorization: Self.field("authorization", in: headers), method: method, path: path)
        {
            return .reject(early(401, [("WWW-Authenticate", authenticator.challenge)]))
        }
        let route: HTTPRoute
        switch resolution {
        case .route(let found), .head(let found):
            route = found
        case .notFound:
            return .reject(early(404))
        case .methodNotAllowed(let allow):
            return .reject(early(405, [("Allow", allow)]))
        case .preflight:
            preconditionFailure("preflight answered above")
        }
        var declared = 0
        if let contentLength {
            guard let length = Self.decimal(contentLength) else { return .reject(early(400)) }
            guard length <= self.maxBodyBytes else { return .reject(early(413)) }
            declared = length
        }
        return .readBody(
            Admission(
                route: route,
                path: path,
                query: target.query.map(String.init),
                omitsBody: method == "HEAD",
                declaredBodyBytes: declared,
                sendsContinue: expectsContinue
            ))
    }

    /// The path and query of a request target: origin form split at `?` (the query ends at `#`); absolute form
    /// without scheme and authority first.
    ///
    /// - Parameter target: The request target as sent.
    /// - Returns: The path (`/` when an absolute form has none) and the query without `?`, `nil` without `?`.
    package static func split(target: String) -> (path: Substring, query: Substring?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let scheme = rest.firstRange(of: "://") {
            let authority = rest[scheme.upperBound...]
            if let slash = authority.utf8.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }),
                authority.utf8[slash] == UInt8(ascii: "/")
            {
                rest = authority[slash...]
            } else {
                // `http://host` or `http://host?q`: the path is `/`.
                let query = authority.firstIndex(of: "?").map { authority[$0...] } ?? ""
                return ("/", Self.query(of: query))
            }
        }
        guard let end = rest.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else {
            return (rest, nil)
        }
        return (rest[..<end], Self.query(of: rest[end...]))
    }

    /// The query of what follows a path: `?a=b#f` gives `a=b`; `#f` or nothing gives `nil`.
    private static func query(of rest: Substring) -> Substring? {
        guard rest.first == "?" else { return nil }
        let query = rest.dropFirst()
        return query.firstIndex(of: "#").map { query[..<$0] } ?? query
    }

    /// The value of a `Content-Length`: digits only (RFC 9110 §8.6), no sign, no spaces; `nil` if not one or
    /// past `Int.max`.
    private static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }

    /// The value of the first field called `name` (lower case) in `headers`, if any.
    private static func field(_ name: StaticString, in headers: [(name: String, value: String)]) -> String? {
        for field in headers where ASCII.equalsIgnoringCase(Substring(field.name).utf8, lowercased: name) {
            return field.value
        }
        return nil
    }
}
