import GlancedCompression
package import GlancedHTTP
package import GlancedStats
import GlancedSync
import GlancedXMLRPC

/// Answers XML-RPC over HTTP: parses the body, routes the call, and replies from the current sample.
///
/// Each sample's replies are renderings of its ``Snapshot`` — the XML, and its gzip form the first time a
/// client asks for gzip — so answering a call is a copy. Replies wait for a new sample through the cache's gate
/// (``StatsCache/withCurrentSnapshot(_:)``), never longer than its `staleAfter`.
package final class RPCResponder: HTTPResponder {
    private let methods: Locked<GlancesMethods>
    private let cache: StatsCache
    private let limits: XMLRPCLimits
    private let gzipThreshold: Int

    /// Creates a responder over `cache` with the method table `methods`.
    ///
    /// - Parameters:
    ///   - methods: The method table.
    ///   - cache: The samples.
    ///   - maxBodyBytes: The largest request body (the codec's document limit).
    ///   - gzipThreshold: Replies longer than this are gzipped for clients that accept it.
    package init(methods: GlancesMethods, cache: StatsCache, maxBodyBytes: Int, gzipThreshold: Int = 1400) {
        self.methods = Locked(methods)
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
        let gzipOver = request.acceptsGzip ? gzipThreshold : nil
        switch methods.withLock({ $0.route(call) }) {
        case .constant(let bytes):
            reply(Self.xml(bytes))
        case .fault(let code, let message):
            reply(Self.xml(XMLRPCResponse.fault(code: code, message: message)))
        case .all:
            cache.withCurrentSnapshot { snapshot in
                let rendering = snapshot.rendering(Self.allKey, gzipOver: gzipOver) {
                    XMLRPCResponse.string(Glances2JSON.all($0))
                }
                reply(Self.xml(rendering))
            }
        case .plugin(let name):
            cache.withCurrentSnapshot { snapshot in
                guard let position = snapshot.sample.position(of: name) else {
                    return reply(Self.xml(XMLRPCResponse.fault(code: 1, message: "no plugin \(name)")))
                }
                let rendering = snapshot.rendering(RenderingKey("xmlrpc2", name), gzipOver: gzipOver) {
                    XMLRPCResponse.string(Glances2JSON.plugin($0, at: position))
                }
                reply(Self.xml(rendering))
            }
        }
    }

    /// Replaces the method table (after a configuration reload: the limits change).
    package func replaceMethods(_ table: GlancesMethods) {
        methods.withLock { $0 = table }
    }

    private static let allKey = RenderingKey("xmlrpc2", "getAll")
    private static let headers: [(name: String, value: String)] = [("Content-Type", "text/xml")]

    private static func xml(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: body)
    }

    private static func xml(_ rendering: Rendering) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: rendering.body, gzippedBody: rendering.gzipped)
    }
}
