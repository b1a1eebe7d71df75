/// One reply from an ``HTTPResponder``.
///
/// The server adds `Server`, `Access-Control-Allow-Origin`, `Content-Length`, `Connection` and, when it
/// gzips, `Content-Encoding` and `Vary`: the responder gives only what is its own (e.g. `Content-Type`).
package struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    package var status: Int
    /// Header fields to send, e.g. `("Content-Type", "text/xml")`.
    package var headers: [(name: String, value: String)]
    /// The (uncompressed) body.
    package var body: [UInt8]
    /// Optional pre-compressed gzip form of `body` (the caller caches it per sample); used instead of
    /// compressing again. Must decompress to exactly `body`.
    package var gzippedBody: [UInt8]?
    /// The uncompressed body's length when `body` is left empty because `gzippedBody` stands for it (a cache
    /// that keeps only the gzip form of a large reply); `nil`: `body.count`. Such a reply is for a client that
    /// accepts gzip.
    package var uncompressedLength: Int?
    /// When the same request bytes may be answered with the same reply bytes again without asking the responder,
    /// for as long as this holds (see ``ReplayCache``); `nil`, the default, asks it every time. A responder
    /// gives one only for a reply that is a function of the request and of what the condition watches.
    package var replay: (any ReplayCondition)?

    /// Creates a reply.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: Header fields of the responder's own (not the ones the server adds).
    ///   - body: The body.
    ///   - gzippedBody: `body` already gzipped (see ``Gzip/compress(_:level:)``), or `nil`.
    ///   - uncompressedLength: The body's length when `body` is left empty for `gzippedBody`, else `nil`.
    ///   - replay: While the reply may be sent again to the same request bytes, or `nil`.
    package init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        gzippedBody: [UInt8]? = nil,
        uncompressedLength: Int? = nil,
        replay: (any ReplayCondition)? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.gzippedBody = gzippedBody
        self.uncompressedLength = uncompressedLength
        self.replay = replay
    }
}

/// What the server asks the application: answer one request.
///
/// The server calls ``respond(to:reply:)`` on its event loop, one request at a time per connection, for the
/// requests an ``HTTPRoute`` of its ``HTTPRouteTable`` gives this responder. A responder on a `GET` route gets
/// `HEAD` requests too (``HTTPRequest/method`` says `HEAD`): it answers them as `GET`, and the server sends the
/// reply's fields and `Content-Length` without the body.
package protocol HTTPResponder: Sendable {
    /// Answers `request`, calling `reply` exactly once, on any thread, possibly synchronously before
    /// `respond` returns (the fast path: no thread hop, no `Task`).
    ///
    /// - Parameters:
    ///   - request: The complete request; it already passed authentication, route and size checks.
    ///   - reply: Takes the response. Later calls are ignored, as are calls after the client left.
    func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void)
}
