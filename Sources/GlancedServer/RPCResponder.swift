import Dispatch
package import GlancedHTTP
package import GlancedStats
import GlancedSystem
import GlancedXMLRPC

/// Answers XML-RPC over HTTP: parses the body, routes the call, and replies from the current sample.
///
/// Each sample's replies are rendered once — the XML, and its gzip form the first time a client asks
/// for gzip — so answering a call is a copy.
///
/// A call that finds the sample out of date waits for the new one, but never longer than `staleAfter`
/// seconds: then it is answered from the previous sample. A sample that takes long (a slow `/proc`, a costly
/// monitor regular expression, a hung mount) thus delays replies by at most that much, instead of holding them
/// until it ends.
package final class RPCResponder: HTTPResponder {
    private let methods: Locked<GlancesMethods>
    private let cache: StatsCache
    private let limits: XMLRPCLimits
    private let gzipThreshold: Int
    private let staleAfter: Double
    /// Where the `staleAfter` deadlines run: a serial queue of its own, so blocked work elsewhere in the
    /// process (monitor commands, sampling) cannot delay them.
    private let deadlines = DispatchQueue(label: "glanced.rpc.deadlines")

    /// Rendered replies of one sample, by plugin index (the last slot is `getAll`).
    private struct Rendered {
        var sequence = 0
        var replies: [RenderedReply?] = []
    }

    private struct RenderedReply {
        var xml: [UInt8]
        var gzipped: [UInt8]?
    }

    private let rendered = Locked(Rendered())

    /// Creates a responder over `cache` with the method table `methods`.
    ///
    /// - Parameters:
    ///   - methods: The method table.
    ///   - cache: The samples.
    ///   - maxBodyBytes: The largest request body (the codec's document limit).
    ///   - gzipThreshold: Replies longer than this are gzipped for clients that accept it.
    ///   - staleAfter: Seconds a call waits for a new sample before it is answered from the previous one.
    package init(
        methods: GlancesMethods, cache: StatsCache, maxBodyBytes: Int, gzipThreshold: Int = 1400,
        staleAfter: Double = 2
    ) {
        self.methods = Locked(methods)
        self.cache = cache
        self.limits = XMLRPCLimits(maxBytes: maxBodyBytes)
        self.gzipThreshold = gzipThreshold
        self.staleAfter = staleAfter
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
            answerFromSample(gzip: request.acceptsGzip, reply: reply) { [self] snapshot, gzip in
                response(slot: snapshot.documents.count, snapshot: snapshot, gzip: gzip) { $0.all }
            }
        case .plugin(let index):
            answerFromSample(gzip: request.acceptsGzip, reply: reply) { [self] snapshot, gzip in
                response(slot: index, snapshot: snapshot, gzip: gzip) { $0.documents[index] }
            }
        }
    }

    /// Replies with `render` of the current sample, or of the previous one when the current is not ready within
    /// `staleAfter` seconds (whichever comes first; the other is dropped).
    private func answerFromSample(
        gzip: Bool,
        reply: @escaping @Sendable (HTTPResponse) -> Void,
        render: @escaping @Sendable (Snapshot, Bool) -> HTTPResponse
    ) {
        let pending = PendingReply(reply)
        cache.withSnapshot { snapshot in
            pending.send { render(snapshot, gzip) }
        }
        guard !pending.isSent else { return }
        deadlines.asyncAfter(deadline: .now() + .nanoseconds(Int(staleAfter * 1e9))) { [cache] in
            guard !pending.isSent, let previous = cache.latest else { return }
            pending.send { render(previous, gzip) }
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
                    state = Rendered(
                        sequence: snapshot.sequence, replies: Array(repeating: nil, count: snapshot.documents.count + 1)
                    )
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

/// A reply that may be sent from two places (the new sample, the deadline): only the first send goes out.
private final class PendingReply: Sendable {
    private let reply: @Sendable (HTTPResponse) -> Void
    private let sent = Locked(false)

    init(_ reply: @escaping @Sendable (HTTPResponse) -> Void) {
        self.reply = reply
    }

    var isSent: Bool {
        sent.withLock { $0 }
    }

    /// Sends `make()` unless a reply was already sent.
    func send(_ make: () -> HTTPResponse) {
        let first = sent.withLock { sent in
            defer { sent = true }
            return !sent
        }
        if first { reply(make()) }
    }
}
