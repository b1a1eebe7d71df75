import GlancedStats

/// Takes samples of some plugins the way the server does, and hands back their typed stats.
struct PluginSampler {
    let collector: StatsCollector

    init(_ plugins: [any StatsPlugin.Type], configuration: PluginConfiguration = PluginConfiguration()) {
        collector = StatsCollector(configuration: configuration, plugins: plugins)
    }

    /// One sample of every plugin.
    func sample() -> Sample {
        collector.sample().sample
    }

    /// One sample's stats of plugin `P` (which must be one of the sampled plugins).
    func stats<P: StatsPlugin>(of plugin: P.Type) throws -> P.Stats {
        try sample().required(P.self)
    }
}

/// Raised when a sample lacks a plugin the test asked for.
struct MissingPlugin: Error, CustomStringConvertible {
    var name: String
    var description: String { "no \(name) in the sample" }
}

extension Sample {
    /// The stats of plugin `P`; throws when this sample has none.
    func required<P: StatsPlugin>(_ plugin: P.Type) throws -> P.Stats {
        guard let stats = stats(of: P.self) else { throw MissingPlugin(name: P.name) }
        return stats
    }
}

extension Snapshot {
    /// The Glances 2.0 JSON of plugin `name` in this sample, as the server renders it; nil for an unknown plugin.
    func document(for name: String) -> [UInt8]? {
        sample.position(of: name).map { Glances2JSON.plugin(sample, at: $0) }
    }
}

extension PluginStats {
    /// These stats' Glances 2.0 JSON, as text.
    var glances2: String {
        var writer = JSONWriter()
        writeGlances2(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
