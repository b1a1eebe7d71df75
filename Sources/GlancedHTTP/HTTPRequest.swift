/// One HTTP request as the server hands it to an ``HTTPResponder``: head and whole body.
package struct HTTPRequest: Sendable {
    /// The request method as sent, e.g. `"POST"`.
    package var method: String
    /// The URI path, without the query string; the route was chosen by it.
    package var path: String
    /// The query string, without the `?` (and without any fragment); `nil` when the target has no `?`.
    package var query: String?
    /// The header fields in the order received; names as sent (compare them case-insensitively).
    package var headers: [(name: String, value: String)]
    /// The request body (de-chunked), at most ``HTTPServerConfiguration/maxBodyBytes`` long.
    package var body: [UInt8]
    /// Whether the client accepts a gzip-encoded reply (`Accept-Encoding` names `gzip`, `x-gzip` or `*`
    /// with a non-zero quality).
    package var acceptsGzip: Bool

    /// Creates a request; the server does this, tests may too.
    ///
    /// - Parameters:
    ///   - method: The request method, e.g. `"POST"`.
    ///   - path: The URI path without the query string.
    ///   - query: The query string without `?`, or `nil`.
    ///   - headers: The header fields in order.
    ///   - body: The request body.
    ///   - acceptsGzip: Whether a gzip reply is accepted; by default read from `headers`.
    package init(
        method: String,
        path: String,
        query: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        acceptsGzip: Bool? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        if let acceptsGzip {
            self.acceptsGzip = acceptsGzip
        } else {
            self.acceptsGzip = AcceptEncoding.allowsGzip(
                headers.lazy.filter { ASCII.equalsIgnoringCase($0.name, "accept-encoding") }.map(\.value)
            )
        }
    }

    /// The value of the first header field called `name` (compared case-insensitively), if any.
    ///
    /// - Parameter name: The header name, e.g. `"Content-Type"`.
    /// - Returns: The field's value, or `nil` when the request has no such field.
    package func header(_ name: String) -> String? {
        for field in self.headers where ASCII.equalsIgnoringCase(field.name, name) {
            return field.value
        }
        return nil
    }
}

/// ASCII helpers that allocate nothing.
enum ASCII {
    /// Whether `a` and `b` are equal when ASCII letters are compared without case.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where lower(x[i]) != lower(y[i]) { return false }
                return true
            }
        }
    }

    /// Whether `bytes` equals the lower-case ASCII `lowercased` when compared without case.
    static func equalsIgnoringCase(_ bytes: Substring.UTF8View, lowercased: StaticString) -> Bool {
        guard bytes.count == lowercased.utf8CodeUnitCount else { return false }
        return lowercased.withUTF8Buffer { expected in
            var i = 0
            for byte in bytes {
                if lower(byte) != expected[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// `byte` with ASCII `A`...`Z` mapped to `a`...`z`.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Whether `byte` is a space or a horizontal tab (HTTP's optional white space).
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }
}
