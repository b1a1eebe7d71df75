package import GlancedHTTP
package import GlancedStats
import GlancedXMLRPC
import Synchronization

/// Answers XML-RPC over HTTP: parses the body, routes the call, and replies from the current sample.
///
/// Each sample's replies are rendered once — the XML, and its gzip form the first time a client asks
/// for gzip — so answering a call is a copy.
package final class RPCResponder: HTTPResponder {
    private let methods: Mutex<GlancesMethods>
    private let cache: StatsCache
    private let limits: XMLRPCLimits
    private let gzipThreshold: Int

    /// Rendered replies of one sample, by plugin index (the last slot is `getAll`).
    private struct Rendered {
        var sequence = 0
        var replies: [RenderedReply?] = []
    }

    private struct RenderedReply {
        var xml: [UInt8]
        var gzipped: [UInt8]?
    }

    private let rendered = Mutex(Rendered())

    /// Creates a responder over `cache` with the method table `methods`.
    package init(methods: GlancesMethods, cache: StatsCache, maxBodyBytes: Int, gzipThreshold: Int = 1400) {
        self.methods = Mutex(methods)
        self.cache = cache
        self.limits = XMLRPCLimits(maxBytes: maxBodyBytes)
        self.gzipThreshold = gzipThreshold
    }

    package func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        let call: XMLRPCMethodCall
        do {
            call = try XMLRPCMethodCall.parse(request.body, limits: limits)
        } catch {
            reply(Self.xml(XMLRPCResponse.fault(code: XMLRPCError.faultCode, message: "parse error: \(error)")))
            return
        }
        switch methods.withLock({ $0.route(call) }) {
        case .constant(let bytes):
            reply(Self.xml(bytes))
        case .fault(let code, let message):
            reply(Self.xml(XMLRPCResponse.fault(code: code, message: message)))
        case .all:
            let gzip = request.acceptsGzip
            cache.withSnapshot { [self] snapshot in
                reply(response(slot: snapshot.documents.count, snapshot: snapshot, gzip: gzip) { $0.all })
            }
        case .plugin(let index):
            let gzip = request.acceptsGzip
            cache.withSnapshot { [self] snapshot in
                reply(response(slot: index, snapshot: snapshot, gzip: gzip) { $0.documents[index] })
            }
        }
    }

    /// Replaces the method table (after a configuration reload: the limits change).
    package func replaceMethods(_ table: GlancesMethods) {
        methods.withLock { $0 = table }
    }

    /// The reply for `slot` of `snapshot`, rendered on first use in this sample.
    private func response(slot: Int, snapshot: Snapshot, gzip: Bool, json: (Snapshot) -> [UInt8]) -> HTTPResponse {
        let cached: RenderedReply? = rendered.withLock { state in
            guard state.sequence == snapshot.sequence, slot < state.replies.count else { return nil }
            return state.replies[slot]
        }
        var entry = cached ?? RenderedReply(xml: XMLRPCResponse.string(json(snapshot)), gzipped: nil)
        let needsGzip = gzip && entry.xml.count > gzipThreshold && entry.gzipped == nil
        if needsGzip { entry.gzipped = Gzip.compress(entry.xml) }
        if cached == nil || needsGzip {
            let stored = entry
            rendered.withLock { state in
                if state.sequence < snapshot.sequence {
                    state = Rendered(sequence: snapshot.sequence, replies: Array(repeating: nil, count: snapshot.documents.count + 1))
                }
                if state.sequence == snapshot.sequence { state.replies[slot] = stored }
            }
        }
        return HTTPResponse(status: 200, headers: Self.headers, body: entry.xml, gzippedBody: entry.gzipped)
    }

    private static let headers: [(name: String, value: String)] = [("Content-Type", "text/xml")]

    private static func xml(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: body)
    }
}
