import GlancedSystem

/// Takes samples: owns every plugin and the shared sources, and renders each plugin once per sample.
///
/// A collector is not thread-safe; ``StatsCache`` confines it to its sampling queue.
package final class StatsCollector {
    private var plugins: [any StatsPlugin]
    private let store: SourceStore
    private var sequence = 0

    /// The plugin names, in wire order.
    package let names: [String]

    /// Creates the plugins of `types` (all registered plugins by default) with `configuration`.
    package init(configuration: PluginConfiguration, plugins types: [any StatsPlugin.Type] = PluginRegistry.all) {
        plugins = types.map { $0.init(configuration: configuration) }
        names = types.map { $0.name }
        store = SourceStore(configuration: configuration)
    }

    /// Hands a reloaded configuration to every plugin and shared source.
    package func reconfigure(_ configuration: PluginConfiguration) {
        store.reconfigure(configuration)
        for index in plugins.indices { plugins[index].reconfigure(configuration) }
    }

    /// Takes one sample of every plugin.
    package func sample() -> Snapshot {
        let refresh = Refresh(store: store)
        sequence += 1
        var documents: [[UInt8]] = []
        documents.reserveCapacity(plugins.count)
        for index in plugins.indices {
            var writer = JSONWriter()
            plugins[index].update(refresh, into: &writer)
            documents.append(writer.bytes)
        }
        return Snapshot(names: names, documents: documents, sequence: sequence, takenAt: refresh.monotonic)
    }
}
