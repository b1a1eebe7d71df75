import GlancedCompression
package import GlancedHTTP

/// Serves the dashboard: the page at `GET /` and its files at `GET /static/<name>`, from the bytes built into the
/// binary (``webAssetFiles``).
///
/// Every reply is made once, at creation: the body, its gzip form and a strong `ETag` (a hash of the bytes). A
/// request whose `If-None-Match` names the current tag gets 304 without a body. The page links its files with
/// `?v=<tag>`: a request carrying the current tag may be cached for a year (`immutable`), any other is revalidated
/// (`no-cache`), as is the page itself. Every reply carries a strict Content-Security-Policy: nothing but this
/// server's own files, no inline script or style.
package final class WebResponder: HTTPResponder {
    /// One file as served.
    struct Asset: Sendable {
        var contentType: String
        var body: [UInt8]
        var gzipped: [UInt8]?
        var etag: String
    }

    /// The policy on every reply: the page and its requests stay on this origin.
    package static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    private let page: Asset
    private let files: [String: Asset]

    /// Creates the responder.
    ///
    /// - Parameters:
    ///   - version: The glanced version the page shows.
    ///   - apiGeneration: The Glances REST generation the page reads (`/api/<n>/`): the newest one served.
    package init(version: String, apiGeneration: Int) {
        var files: [String: Asset] = [:]
        var page = ""
        for (name, text) in webAssetFiles {
            if name == "index.html" {
                page = text
            } else {
                files[name] = Self.asset(name: name, bytes: Array(text.utf8))
            }
        }
        page = page.replacing("@GLANCED_VERSION@", with: Self.escaped(version))
        page = page.replacing("@GLANCED_API@", with: String(apiGeneration))
        for (name, asset) in files {
            page = page.replacing("\"/static/\(name)\"", with: "\"/static/\(name)?v=\(Self.version(asset.etag))\"")
        }
        self.page = Self.asset(name: "index.html", bytes: Array(page.utf8))
        self.files = files
    }

    package func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        let asset: Asset
        let cacheControl: String
        if request.path == "/" {
            asset = page
            cacheControl = "no-cache"
        } else if request.path.hasPrefix("/static/"), let found = files[String(request.path.dropFirst(8))] {
            asset = found
            let pinned = request.query.flatMap { Self.queryValue("v", in: $0) } == Substring(Self.version(found.etag))
            cacheControl = pinned ? "public, max-age=31536000, immutable" : "no-cache"
        } else {
            var headers = Self.securityHeaders
            headers.append(("Content-Type", "text/plain; charset=utf-8"))
            headers.append(("Cache-Control", "no-cache"))
            return reply(HTTPResponse(status: 404, headers: headers, body: Array("No such file\n".utf8)))
        }
        var headers = Self.securityHeaders
        headers.append(("ETag", asset.etag))
        headers.append(("Cache-Control", cacheControl))
        headers.append(("Vary", "Accept-Encoding"))
        if let tags = request.header("If-None-Match"), Self.matches(tags, etag: asset.etag) {
            return reply(HTTPResponse(status: 304, headers: headers, replay: AlwaysReplayable()))
        }
        headers.append(("Content-Type", asset.contentType))
        if request.acceptsGzip, let gzipped = asset.gzipped {
            // Encoded here so that the server's gzip threshold and level play no part: the smaller form, made once.
            headers.append(("Content-Encoding", "gzip"))
            return reply(HTTPResponse(status: 200, headers: headers, body: gzipped, replay: AlwaysReplayable()))
        }
        reply(HTTPResponse(status: 200, headers: headers, body: asset.body, replay: AlwaysReplayable()))
    }

    // MARK: Helpers

    /// The fields every reply of the page carries.
    private static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
    ]

    /// A file as served: its type from its name, gzip when that is smaller, its tag.
    static func asset(name: String, bytes: [UInt8]) -> Asset {
        let gzipped = Gzip.compress(bytes, level: 9)
        return Asset(
            contentType: contentType(of: name), body: bytes, gzipped: gzipped.count < bytes.count ? gzipped : nil,
            etag: "\"\(hexHash(bytes))\"")
    }

    /// The media type by extension.
    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }

    /// 64-bit FNV-1a of `bytes`, as 16 hex digits.
    static func hexHash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The tag without its quotes, for `?v=`.
    private static func version(_ etag: String) -> String {
        String(etag.dropFirst().dropLast())
    }

    /// Whether an `If-None-Match` list names `etag` (weak comparison, as RFC 9110 §13.1.2 asks) or is `*`.
    static func matches(_ field: String, etag: String) -> Bool {
        for tag in field.split(separator: ",") {
            var tag = tag.drop { $0 == " " || $0 == "\t" }
            while tag.last == " " || tag.last == "\t" { tag = tag.dropLast() }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    /// The value of `name` in a query string (`a=1&v=x`), if present.
    static func queryValue(_ name: String, in query: String) -> Substring? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first == Substring(name) { return parts.count > 1 ? parts[1] : "" }
        }
        return nil
    }

    /// `text` safe inside a double-quoted HTML attribute.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
