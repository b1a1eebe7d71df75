import GlancedSystem
package import Logging

/// Takes samples: owns every plugin and the shared sources, and asks each plugin for its stats once per sample.
///
/// A collector is not thread-safe; ``StatsCache`` confines it to its sampling thread.
package final class StatsCollector {
    private var plugins: [any StatsPlugin]
    private let store: SourceStore
    private let logger: Logger
    private var sequence = 0

    /// Every plugin's name, listed by a Glances generation or not, in registry order: the sample's names. What each
    /// generation lists is in ``generations``.
    package let names: [String]
    private let inGetAll: [Bool]
    private let inHistory: [Bool]
    /// The generations that carry each plugin, aligned with ``names``.
    package let generations: [Set<GlancesGeneration>]

    /// Creates the plugins of `types` (all registered plugins by default) with `configuration`.
    package init(
        configuration: PluginConfiguration, plugins types: [any StatsPlugin.Type] = PluginRegistry.all,
        logger: Logger = Logger(label: "glanced", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        plugins = types.map { $0.init(configuration: configuration) }
        names = types.map { $0.name }
        inGetAll = types.map { $0.inGetAll && $0.isGlancesPlugin }
        inHistory = types.map { $0.inHistory }
        generations = types.map { $0.isGlancesPlugin ? $0.generations : [] }
        store = SourceStore(configuration: configuration)
        self.logger = logger
    }

    /// Hands a reloaded configuration to every plugin and shared source.
    package func reconfigure(_ configuration: PluginConfiguration) {
        store.reconfigure(configuration)
        for index in plugins.indices { plugins[index].reconfigure(configuration) }
    }

    /// Takes one sample of every plugin.
    package func sample() -> Snapshot {
        let refresh = Refresh(store: store, logger: logger)
        sequence += 1
        var stats: [any PluginStats] = []
        stats.reserveCapacity(plugins.count)
        for index in plugins.indices {
            stats.append(Self.update(&plugins[index], refresh))
        }
        return Snapshot(
            sample: Sample(
                names: names, stats: stats, inGetAll: inGetAll, inHistory: inHistory, sequence: sequence,
                monotonic: refresh.monotonic, epoch: refresh.epoch, generations: generations))
    }

    private static func update<P: StatsPlugin>(_ plugin: inout P, _ refresh: Refresh) -> any PluginStats {
        plugin.update(refresh)
    }
}
