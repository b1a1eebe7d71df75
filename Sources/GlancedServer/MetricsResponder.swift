package import GlancedHTTP
import GlancedPrometheus
package import GlancedStats

/// Answers `GET /metrics` (and `HEAD`): the current sample in Prometheus' text format, rendered once per sample
/// with its gzip form, like every other rendering; a scrape never takes a sample of its own.
package final class MetricsResponder: HTTPResponder {
    private let cache: StatsCache
    private let options: PrometheusText.Options
    private let gzipThreshold: Int

    /// The rendering's key in each ``Snapshot``.
    package static let key = RenderingKey("prometheus", "metrics")

    /// Creates the responder over `cache`.
    ///
    /// - Parameters:
    ///   - cache: The samples.
    ///   - version: glanced's version, for `glanced_build_info`.
    ///   - gzipThreshold: Bodies longer than this are gzipped for scrapers that accept it.
    package init(cache: StatsCache, version: String, gzipThreshold: Int = 1400) {
        self.cache = cache
        self.options = PrometheusText.Options(version: version)
        self.gzipThreshold = gzipThreshold
    }

    package func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        let gzipOver = request.acceptsGzip ? gzipThreshold : nil
        let options = self.options
        let cache = self.cache
        cache.withCurrentSnapshot { snapshot in
            let rendering = snapshot.rendering(Self.key, gzipOver: gzipOver) {
                PrometheusText.render($0, options: options)
            }
            reply(
                HTTPResponse(
                    status: 200, headers: [("Content-Type", PrometheusText.contentType)], body: rendering.body,
                    gzippedBody: rendering.gzipped, uncompressedLength: rendering.length,
                    replay: SnapshotReplay(cache, snapshot)))
        }
    }
}
