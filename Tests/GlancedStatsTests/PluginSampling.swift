import GlancedStats
import GlancedTestSupport

/// Takes samples of some plugins the way the server does, and parses what they write.
struct PluginSampler {
    let collector: StatsCollector

    init(_ plugins: [any StatsPlugin.Type], configuration: PluginConfiguration = PluginConfiguration()) {
        collector = StatsCollector(configuration: configuration, plugins: plugins)
    }

    /// One sample; each plugin's JSON parsed, by name.
    func sample() throws -> [String: JSONValue] {
        let snapshot = collector.sample()
        var result: [String: JSONValue] = [:]
        for (position, name) in snapshot.sample.names.enumerated() {
            result[name] = try JSONValue.parse(Glances2JSON.plugin(snapshot.sample, at: position))
        }
        return result
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
