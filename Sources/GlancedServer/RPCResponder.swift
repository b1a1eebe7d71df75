import GlancedCompression
package import GlancedHTTP
package import GlancedStats
import GlancedSync
import GlancedXMLRPC
import Synchronization

/// Answers XML-RPC over HTTP: parses the body, routes the call, and replies from the current sample.
///
/// Each sample's replies are renderings of its ``Snapshot`` — the XML, and its gzip form the first time a
/// client asks for gzip — so answering a call is a copy. Replies wait for a new sample through the cache's gate
/// (``StatsCache/withCurrentSnapshot(_:)``), never longer than its `staleAfter`.
package final class RPCResponder: HTTPResponder {
    private let methods: Locked<GlancesMethods>
    /// Counts the method tables replaced: a reply of the table's own is replayed while it is the same.
    private let tables = TableSerial()
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
        let (route, generation, table) = methods.withLock { ($0.route(call), $0.generation, tables.current) }
        let format = "xmlrpc\(generation.rawValue)"
        switch route {
        case .constant(let bytes):
            reply(Self.xml(bytes, replay: TableReplay(tables: tables, serial: table)))
        case .fault(let code, let message):
            reply(Self.xml(XMLRPCResponse.fault(code: code, message: message)))
        case .all:
            cache.withCurrentSnapshot { snapshot in
                let rendering = snapshot.rendering(RenderingKey(format, "getAll"), gzipOver: gzipOver) {
                    XMLRPCResponse.string(
                        generation == .v2 ? Glances2JSON.all($0) : GlancesJSON.all($0, generation: generation))
                }
                reply(Self.xml(rendering, replay: SnapshotReplay(self.cache, snapshot)))
            }
        case .plugin(let name):
            renderPlugin(name, format: format, gzipOver: gzipOver, reply: reply) { sample, position in
                generation == .v2
                    ? Glances2JSON.plugin(sample, at: position)
                    : GlancesJSON.plugin(sample, at: position, generation: generation)
            }
        case .browserPlugin(let name):
            renderPlugin(name, format: "xmlrpc4", gzipOver: gzipOver, reply: reply) { sample, position in
                GlancesJSON.plugin(sample, at: position, generation: .v4)
            }
        case .view(let name, let limits):
            renderPlugin(name, format: "views", gzipOver: gzipOver, reply: reply) { sample, position in
                GlancesViews.plugin(sample, at: position, limits: limits)
            }
        }
    }

    /// Replies with one plugin's rendering `render` of the current sample, made once per sample and `format`.
    private func renderPlugin(
        _ name: String, format: String, gzipOver: Int?, reply: @escaping @Sendable (HTTPResponse) -> Void,
        render: @escaping @Sendable (Sample, Int) -> [UInt8]
    ) {
        cache.withCurrentSnapshot { snapshot in
            guard let position = snapshot.sample.position(of: name) else {
                return reply(Self.xml(XMLRPCResponse.fault(code: 1, message: "no plugin \(name)")))
            }
            let rendering = snapshot.rendering(RenderingKey(format, name), gzipOver: gzipOver) {
                XMLRPCResponse.string(render($0, position))
            }
            reply(Self.xml(rendering, replay: SnapshotReplay(self.cache, snapshot)))
        }
    }

    /// Replaces the method table (after a configuration reload: the limits change).
    package func replaceMethods(_ table: GlancesMethods) {
        methods.withLock {
            $0 = table
            tables.advance()
        }
    }

    private static let headers: [(name: String, value: String)] = [("Content-Type", "text/xml")]

    private static func xml(_ body: [UInt8], replay: (any ReplayCondition)? = nil) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: body, replay: replay)
    }

    /// A rendering's reply; it may be replayed while `replay` holds.
    private static func xml(_ rendering: Rendering, replay: SnapshotReplay?) -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: headers, body: rendering.body, gzippedBody: rendering.gzipped,
            uncompressedLength: rendering.length, replay: replay)
    }
}

/// Numbers the method tables an ``RPCResponder`` has had.
private final class TableSerial: Sendable {
    private let serial = Atomic<UInt64>(0)

    var current: UInt64 { serial.load(ordering: .acquiring) }

    func advance() {
        serial.add(1, ordering: .releasing)
    }
}

/// A reply of the method table's own (`init`, `getAllPlugins`, `getAllLimits`, …) may be replayed while the table
/// it came from is the responder's.
private struct TableReplay: ReplayCondition {
    let tables: TableSerial
    let serial: UInt64

    func holds() -> Bool {
        tables.current == serial
    }
}
