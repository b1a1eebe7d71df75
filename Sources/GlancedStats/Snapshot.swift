import GlancedCompression
import GlancedSync

/// One sample and its renderings: each rendering is made once, the first time a client needs it, and shared
/// by every client until the next sample. Immutable but for that cache; shared by all callers.
package final class Snapshot: Sendable {
    /// The sample every rendering is made from.
    package let sample: Sample

    private let renderings = Locked([RenderingKey: Rendering]())

    /// Renderings kept per sample at most: a client asking for ever new REST items cannot grow the cache
    /// without end; past this, renderings are made for the caller and not kept.
    package static let maxRenderings = 512

    /// Wraps a sample.
    package init(sample: Sample) {
        self.sample = sample
    }

    /// Counts samples: 1 for the first one the server took.
    package var sequence: Int { sample.sequence }
    /// Monotonic time the sample was taken, seconds.
    package var takenAt: Double { sample.monotonic }

    /// The rendering `key` of this sample: `render(sample)`, made on first use and kept (up to
    /// ``maxRenderings`` per sample), with its gzip form
    /// added the first time a caller wants one (`gzipOver`: only for bodies longer than that many bytes).
    ///
    /// Two callers that race on first use may both render; both get equal bytes and one is kept.
    package func rendering(
        _ key: RenderingKey, gzipOver threshold: Int? = nil, render: (Sample) -> [UInt8]
    ) -> Rendering {
        reply(key, gzipOver: threshold) { Rendering(body: render($0)) }
    }

    /// Like ``rendering(_:gzipOver:render:)``, for a renderer that also chooses the status and media type.
    ///
    /// A body longer than ``keepsBodyUpTo`` is not kept once gzipped (the returned rendering's ``Rendering/body``
    /// is then empty, ``Rendering/length`` says how long it was): such replies (`all`, the process lists, several
    /// hundred KB at a thousand processes) are asked for gzipped by every client that polls them. The first caller
    /// that wants the body itself has it rendered again, and from then on it is kept.
    package func reply(
        _ key: RenderingKey, gzipOver threshold: Int? = nil, render: (Sample) -> Rendering
    ) -> Rendering {
        let cached = renderings.withLock { $0[key] }
        var entry = cached ?? render(sample)
        var changed = cached == nil
        let wantsGzip = threshold.map { entry.length > $0 } ?? false
        if !wantsGzip, entry.body.count != entry.length {
            // The body went after its gzip; this caller needs it: render it again, and keep it.
            entry.body = render(sample).body
            entry.keepsBody = true
            changed = true
        }
        if wantsGzip, entry.gzipped == nil {
            entry.gzipped = Gzip.compress(entry.body, level: Gzip.serverLevel)
            changed = true
        }
        if changed {
            var stored = entry
            if stored.gzipped != nil, !stored.keepsBody, stored.length > Self.keepsBodyUpTo { stored.body = [] }
            renderings.withLock { cache in
                if cache.count < Self.maxRenderings || cache[key] != nil { cache[key] = stored }
            }
        }
        return entry
    }

    /// Bodies longer than this are not kept once gzipped, until a caller wants one (see ``reply(_:gzipOver:render:)``).
    package static let keepsBodyUpTo = 64 * 1024
}

/// Names one rendering of a sample: the output format and what of the sample it shows.
package struct RenderingKey: Hashable, Sendable {
    /// The renderer, e.g. `xmlrpc2`.
    package var format: String
    /// What it renders: a plugin name, `all`, …
    package var item: String

    /// Creates a key.
    package init(_ format: String, _ item: String) {
        self.format = format
        self.item = item
    }
}

/// One rendering of a sample: its bytes, and their gzip form once a client asked for it.
package struct Rendering: Sendable {
    /// The bytes.
    package var body: [UInt8]
    /// ``body`` gzipped, when made.
    package var gzipped: [UInt8]?
    /// The HTTP status the rendering answers with: 200, or an error whose text is ``body``.
    package var status: Int
    /// Its media type, when the renderer says.
    package var contentType: String?
    /// The body's length; ``body`` may be empty where the snapshot keeps only the gzip form
    /// (``Snapshot/reply(_:gzipOver:render:)``).
    package var length: Int
    /// A caller wanted the body itself: the snapshot keeps it.
    var keepsBody = false

    /// Creates a rendering without its gzip form.
    package init(body: [UInt8], gzipped: [UInt8]? = nil, status: Int = 200, contentType: String? = nil) {
        self.body = body
        self.gzipped = gzipped
        self.status = status
        self.contentType = contentType
        self.length = body.count
    }
}
