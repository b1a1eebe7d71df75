/// Every plugin's typed stats from one sample, and when it was taken: what every renderer reads.
package struct Sample: Sendable {
    /// The plugin names, in wire order.
    package let names: [String]
    /// Each plugin's stats, aligned with ``names``.
    package let stats: [any PluginStats]
    /// Whether `getAll` carries each plugin, aligned with ``names``.
    package let inGetAll: [Bool]
    /// Whether each plugin's stats are kept in the history of recent samples, aligned with ``names``.
    package let inHistory: [Bool]
    /// The generations that carry each plugin, aligned with ``names``.
    package let generations: [Set<GlancesGeneration>]
    /// Counts samples: 1 for the first one the server took.
    package let sequence: Int
    /// Monotonic time the sample was taken, seconds.
    package let monotonic: Double
    /// Wall-clock time the sample was taken, seconds since the epoch.
    package let epoch: Double

    private let index: [String: Int]

    /// Assembles a sample.
    package init(
        names: [String], stats: [any PluginStats], inGetAll: [Bool], inHistory: [Bool]? = nil, sequence: Int,
        monotonic: Double, epoch: Double, generations: [Set<GlancesGeneration>]? = nil
    ) {
        precondition(names.count == stats.count && names.count == inGetAll.count, "one value per plugin")
        self.names = names
        self.stats = stats
        self.inGetAll = inGetAll
        self.inHistory = inHistory ?? Array(repeating: true, count: names.count)
        self.generations = generations ?? Array(repeating: Set(GlancesGeneration.allCases), count: names.count)
        precondition(self.generations.count == names.count, "one generation set per plugin")
        self.sequence = sequence
        self.monotonic = monotonic
        self.epoch = epoch
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        self.index = index
    }

    /// The position of plugin `name` (exact, lower-case wire name), or nil for an unknown plugin.
    package func position(of name: String) -> Int? {
        index[name]
    }

    /// Whether `getAll` of `generation` carries the plugin at `position`.
    package func carries(_ position: Int, in generation: GlancesGeneration) -> Bool {
        generations[position].contains(generation) && (generation != .v2 || inGetAll[position])
    }

    /// The plugin names `generation` lists, in wire order (for 3 and 4, the `getAll` keys).
    package func names(in generation: GlancesGeneration) -> [String] {
        names.indices.filter { generations[$0].contains(generation) }.map { names[$0] }
    }

    /// The stats of plugin `P`, or nil when this sample has no such plugin.
    package func stats<P: StatsPlugin>(of plugin: P.Type) -> P.Stats? {
        index[P.name].flatMap { stats[$0] as? P.Stats }
    }
}
