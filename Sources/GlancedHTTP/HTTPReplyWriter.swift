import GlancedCompression
import NIOCore
import NIOHTTP1

/// How the reply to the current request is framed, from its head.
struct ReplyFraming {
    /// The request's HTTP version; the reply uses it (HTTP/1.1 for anything but 1.x).
    var version: HTTPVersion = .http1_1
    /// Whether the connection stays open after the reply.
    var keepAlive = false
    /// Whether the reply goes without its body (`HEAD`): same fields and `Content-Length`, no body bytes.
    var omitsBody = false
}

/// Turns replies into HTTP/1 response parts: the fields every reply carries, gzip, framing fields, error pages,
/// and no body where there must be none (`HEAD`, 1xx, 204, 304).
enum ReplyWriter {
    /// One reply, ready to frame.
    struct Reply {
        /// The status code.
        var status: Int
        /// Every field but the framing ones (`Content-Length`, `Connection`).
        var headers: HTTPHeaders
        /// The body as sent (gzipped when chosen).
        var body: [UInt8]
    }

    /// A responder's reply: its fields without framing ones, and the body gzipped when the client accepts gzip,
    /// the body is over `gzipThreshold` bytes and the responder did not encode it itself.
    ///
    /// - Returns: The reply, or `nil` when the status is not a three-digit code (the caller sends 500).
    static func reply(to response: HTTPResponse, acceptsGzip: Bool, gzipThreshold: Int) -> Reply? {
        guard (100...999).contains(response.status) else { return nil }
        var headers = Self.commonHeaders(capacity: response.headers.count + 6)
        var gzip = false
        let length = response.uncompressedLength ?? response.body.count
        if acceptsGzip, length > gzipThreshold || response.gzippedBody != nil && response.body.count != length {
            gzip = !response.headers.contains { ASCII.equalsIgnoringCase($0.name, "content-encoding") }
        }
        for field in response.headers where !Self.isFraming(field.name) {
            headers.add(name: field.name, value: field.value)
        }
        let payload: [UInt8]
        if gzip {
            payload = response.gzippedBody ?? Gzip.compress(response.body, level: Gzip.serverLevel)
            headers.add(name: "Content-Encoding", value: "gzip")
            headers.add(name: "Vary", value: "Accept-Encoding")
        } else {
            payload = response.body
        }
        return Reply(status: response.status, headers: headers, body: payload)
    }

    /// A short `text/plain` error page with `fields` (e.g. `Allow`, `WWW-Authenticate`).
    static func errorPage(status: Int, fields: [(name: String, value: String)] = []) -> Reply {
        var headers = Self.commonHeaders(capacity: 5 + fields.count)
        headers.add(name: "Content-Type", value: "text/plain")
        for field in fields { headers.add(name: field.name, value: field.value) }
        return Reply(status: status, headers: headers, body: Self.errorText(status))
    }

    /// A reply without a body (e.g. a 204 preflight answer) with `fields`.
    static func empty(status: Int, fields: [(name: String, value: String)]) -> Reply {
        var headers = Self.commonHeaders(capacity: 4 + fields.count)
        for field in fields { headers.add(name: field.name, value: field.value) }
        return Reply(status: status, headers: headers, body: [])
    }

    /// Writes `reply` whole: framing fields, head, body and end, in one flush.
    ///
    /// `Content-Length` is always set (NIO's encoder drops it where the status forbids a body); `Connection:
    /// close` when the connection closes after it, `Connection: keep-alive` for a persistent HTTP/1.0 one.
    ///
    /// - Parameter promise: Completed when `.end` is written.
    static func write(
        _ reply: Reply,
        framing: ReplyFraming,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        var headers = reply.headers
        headers.add(name: "Content-Length", value: String(reply.body.count))
        if !framing.keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if framing.version.major == 1, framing.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let version = framing.version.major == 1 ? framing.version : .http1_1
        let status = HTTPResponseStatus(statusCode: reply.status)
        let head = HTTPResponseHead(version: version, status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if !reply.body.isEmpty, !framing.omitsBody, status.mayHaveResponseBody {
            let buffer = context.channel.allocator.buffer(bytes: reply.body)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        }
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: promise)
    }

    /// The fields every reply carries.
    private static func commonHeaders(capacity: Int) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(capacity)
        headers.add(name: "Server", value: "glanced")
        headers.add(name: "Access-Control-Allow-Origin", value: "*")
        return headers
    }

    /// Whether a responder's header field is one the server sets itself.
    private static func isFraming(_ name: String) -> Bool {
        ASCII.equalsIgnoringCase(name, "content-length") || ASCII.equalsIgnoringCase(name, "connection")
            || ASCII.equalsIgnoringCase(name, "transfer-encoding")
    }

    /// The body of an error page.
    private static func errorText(_ status: Int) -> [UInt8] {
        switch status {
        case 400: Array("Bad request\n".utf8)
        case 401: Array("Unauthorized\n".utf8)
        case 404: Array("No such page\n".utf8)
        case 405: Array("Method not allowed\n".utf8)
        case 413: Array("Request body too large\n".utf8)
        case 431: Array("Request header fields too large\n".utf8)
        default: Array("Internal server error\n".utf8)
        }
    }
}
