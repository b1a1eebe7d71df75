import GlancedHTTP
package import GlancedStats

/// A reply made from a snapshot may be replayed while that snapshot is the one requests are answered from.
package struct SnapshotReplay: ReplayCondition {
    private let cache: StatsCache
    private let token: StatsCache.ReplayToken

    /// The condition for a reply made from `snapshot`; `nil` when it is no longer the current one.
    package init?(_ cache: StatsCache, _ snapshot: Snapshot) {
        guard let token = cache.replayToken(for: snapshot) else { return nil }
        self.cache = cache
        self.token = token
    }

    package func holds() -> Bool {
        cache.isServing(token)
    }
}
