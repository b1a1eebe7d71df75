import GlancedSystem
package import Logging

/// One input that several plugins share, read at most once per sample.
///
/// A source object lives as long as the server and may keep state between samples (a libproc2 handle,
/// the previous counters of every process); ``read(_:)`` is called the first time a plugin asks for it
/// during a sample, and its value is handed to every other plugin that asks during the same sample.
package protocol SharedSource: AnyObject {
    /// What one read yields.
    associatedtype Value

    /// Creates the source; called once, the first time a plugin needs it.
    init(configuration: PluginConfiguration)

    /// Takes this sample's value. It may ask `refresh` for other sources.
    func read(_ refresh: Refresh) -> Value
}

/// One sample being taken: its clock, and the shared inputs read so far.
///
/// A refresh is confined to the sampling thread; plugins get it during ``StatsPlugin/update(_:)``
/// and must not keep it.
package final class Refresh {
    /// Monotonic time of the sample, seconds.
    package let monotonic: Double
    /// Wall-clock time of the sample, seconds since the epoch.
    package let epoch: Double

    /// Where plugins and sources report what goes wrong while sampling (a sensor library that fails, …).
    package let logger: Logger

    private let store: SourceStore
    private var values: [ObjectIdentifier: Any] = [:]

    /// Starts a sample whose sources live in `store`.
    package init(
        store: SourceStore, logger: Logger = Logger(label: "glanced", factory: { _ in SwiftLogNoOpLogHandler() }),
        monotonic: Double = Clock.monotonicSeconds(), epoch: Double = Clock.epochSeconds()
    ) {
        self.store = store
        self.logger = logger
        self.monotonic = monotonic
        self.epoch = epoch
    }

    /// This sample's value of source `S`, read on first use.
    package func value<S: SharedSource>(of source: S.Type) -> S.Value {
        let key = ObjectIdentifier(source)
        if let cached = values[key] as? S.Value { return cached }
        let value = store.source(S.self).read(self)
        values[key] = value
        return value
    }
}

/// The long-lived shared sources, created on first use.
package final class SourceStore {
    private var sources: [ObjectIdentifier: AnyObject] = [:]
    private var configuration: PluginConfiguration

    /// Creates an empty store whose sources read `configuration`.
    package init(configuration: PluginConfiguration) {
        self.configuration = configuration
    }

    /// Drops every source, so that each is created again with `configuration` when next needed.
    package func reconfigure(_ configuration: PluginConfiguration) {
        self.configuration = configuration
        sources = [:]
    }

    /// The instance of `S`, created the first time.
    package func source<S: SharedSource>(_ type: S.Type) -> S {
        let key = ObjectIdentifier(type)
        if let existing = sources[key] as? S { return existing }
        let created = S(configuration: configuration)
        sources[key] = created
        return created
    }
}
