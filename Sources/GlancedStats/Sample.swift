/// Every plugin's typed stats from one sample, and when it was taken: what every renderer reads.
package struct Sample: Sendable {
    /// The plugin names, in wire order.
    package let names: [String]
    /// Each plugin's stats, aligned with ``names``.
    package let stats: [any PluginStats]
    /// Whether `getAll` carries each plugin, aligned with ``names``.
    package let inGetAll: [Bool]
    /// Counts samples: 1 for the first one the server took.
    package let sequence: Int
    /// Monotonic time the sample was taken, seconds.
    package let monotonic: Double
    /// Wall-clock time the sample was taken, seconds since the epoch.
    package let epoch: Double

    private let index: [String: Int]

    /// Assembles a sample.
    package init(
        names: [String], stats: [any PluginStats], inGetAll: [Bool], sequence: Int, monotonic: Double, epoch: Double
    ) {
        precondition(names.count == stats.count && names.count == inGetAll.count, "one value per plugin")
        self.names = names
        self.stats = stats
        self.inGetAll = inGetAll
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

    /// The stats of plugin `P`, or nil when this sample has no such plugin.
    package func stats<P: StatsPlugin>(of plugin: P.Type) -> P.Stats? {
        index[P.name].flatMap { stats[$0] as? P.Stats }
    }
}
