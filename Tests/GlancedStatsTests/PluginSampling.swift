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
        for (name, document) in zip(snapshot.names, snapshot.documents) {
            result[name] = try JSONValue.parse(document)
        }
        return result
    }
}
