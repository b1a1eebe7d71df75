import Dispatch
import GlancedSync
import GlancedSystem

/// Hands out the current sample, taking a new one at most once per refresh interval.
///
/// Sampling is lazy, as in Glances' server: the first caller after the interval has passed starts one
/// new sample and waits for it — never one sample per caller. Callers that arrive while that sample
/// runs are answered at once from the previous one when it is less than two intervals old (so a
/// refresh, ~25 ms with a thousand processes, never stalls the other clients); otherwise (the first
/// sample, after a long idle spell, after a reload) they wait for the same new sample.
///
/// While clients keep polling, the next sample starts a little before the interval ends (by as long as
/// the last sample took, at most half the interval), started by a caller that is answered from the
/// current snapshot: the new one is ready about when the current one expires, so nobody waits for it,
/// and samples still come once per interval. A snapshot is handed out synchronously, without a thread
/// hop, whenever one is answered at once. Nobody polling means no sampling at all.
package final class StatsCache: Sendable {
    private struct State {
        var current: Snapshot?
        /// Monotonic time the current snapshot was finished (the interval counts from then, as
        /// Glances' timer starts after its update).
        var finishedAt: Double = 0
        var sampling = false
        /// How long the last sample took, seconds: how early the next one starts while clients poll.
        var lastDuration: Double = 0
        var waiters: [@Sendable (Snapshot) -> Void] = []
        /// The recent samples as the history keeps them (oldest first once full: see `historyNext`), at most
        /// `historySize`.
        var history: [HistoryFrame] = []
        /// Where the next sample goes in `history` once it is full.
        var historyNext = 0
        /// Counts samples and invalidations: what a ``ReplayToken`` holds.
        var serial: UInt64 = 0
        /// Monotonic time free memory was last given back (``FreeMemory``).
        var releasedAt = -Double.infinity
    }

    /// Names the snapshot a reply was made from, to tell whether it is still the one requests are answered from
    /// (``isServing(_:)``) without holding on to it.
    package struct ReplayToken: Sendable, Equatable {
        fileprivate let serial: UInt64
    }

    /// Confines the collector to the sampling thread.
    ///
    /// `@unchecked Sendable`: the collector is only touched by jobs running on `thread`, one at a time.
    private final class Confined: @unchecked Sendable {
        let collector: StatsCollector
        init(_ collector: StatsCollector) { self.collector = collector }
    }

    private let state = Locked(State())
    private let confined: Confined
    private let thread = SamplingThread(name: "glanced-sample")

    /// Seconds between two returns of free memory to the system, at most one per sample.
    package static let releaseInterval = 1.0

    /// Callers waiting for a new sample beyond this many are answered from the previous one when there is
    /// one: a sample that hangs while clients keep retrying cannot grow the list without end.
    package static let maxWaiters = 1024

    /// Seconds a sample stays current (`-t`).
    package let interval: Double
    /// Seconds a caller of ``withCurrentSnapshot(_:)`` waits for a new sample before it is answered from the
    /// previous one.
    package let staleAfter: Double
    /// Where the `staleAfter` deadlines run: a serial queue of its own, so blocked work elsewhere in the
    /// process (monitor commands, sampling) cannot delay them.
    private let deadlines = DispatchQueue(label: "glanced.sample.deadlines")
    /// The plugin names, in wire order.
    package let names: [String]
    /// The generations that carry each plugin, aligned with ``names``.
    package let generations: [Set<GlancesGeneration>]

    /// Samples the history keeps.
    package let historySize: Int
    /// Makes a sample's history frame, given the previous frame (whose series it may share).
    private let recordHistory: (@Sendable (Sample, HistoryFrame?) -> HistoryFrame)?

    /// Serves samples from `collector`, refreshed at most every `interval` seconds, keeping the last
    /// `historySize` of them as `recordHistory` makes them (none without it).
    package init(
        collector: sending StatsCollector, interval: Double, staleAfter: Double = 2, historySize: Int = 300,
        recordHistory: (@Sendable (Sample, HistoryFrame?) -> HistoryFrame)? = nil
    ) {
        self.names = collector.names
        self.generations = collector.generations
        self.confined = Confined(collector)
        self.interval = interval
        self.staleAfter = staleAfter
        self.historySize = recordHistory == nil ? 0 : max(0, historySize)
        self.recordHistory = recordHistory
    }

    /// The recent samples, oldest first, as the history keeps them: one frame per sample taken, so the history
    /// fills while clients poll (nobody polling means no samples, and a gap in it).
    package var history: [HistoryFrame] {
        state.withLock { state in
            Array(state.history[state.historyNext...] + state.history[..<state.historyNext])
        }
    }

    /// The gate every responder goes through: calls `body` exactly once, with a current snapshot (see
    /// ``withSnapshot(_:)``), or with the previous one when the new sample is not ready within ``staleAfter``
    /// seconds, whichever comes first.
    ///
    /// A sample that takes long (a slow `/proc`, a costly monitor regular expression, a hung mount) thus delays
    /// replies by at most `staleAfter`, instead of holding them until it ends.
    package func withCurrentSnapshot(_ body: @escaping @Sendable (Snapshot) -> Void) {
        let pending = PendingCall(body)
        withSnapshot { snapshot in pending.call(snapshot) }
        guard !pending.isDone else { return }
        deadlines.asyncAfter(deadline: .now() + .nanoseconds(Int(staleAfter * 1e9))) { [self] in
            guard !pending.isDone, let previous = latest else { return }
            pending.call(previous)
        }
    }

    /// Calls `body` with a current snapshot: at once when the last one is fresh, or when a new sample
    /// is already being taken and the last one is less than two intervals old; else after the shared
    /// new sample is taken (on the sampling thread). A call near the end of the interval starts the
    /// next sample and is answered at once.
    package func withSnapshot(_ body: @escaping @Sendable (Snapshot) -> Void) {
        let now = Clock.monotonicSeconds()
        let fresh: Snapshot? = state.withLock { state in
            if let current = state.current {
                let age = now - state.finishedAt
                if age < interval {
                    if !state.sampling, age >= interval - min(state.lastDuration, interval / 2) {
                        state.sampling = true
                        thread.async { [self] in takeSample() }
                    }
                    return current
                }
                if state.sampling && (age < 2 * interval || state.waiters.count >= Self.maxWaiters) {
                    return current
                }
            }
            state.waiters.append(body)
            if !state.sampling {
                state.sampling = true
                thread.async { [self] in takeSample() }
            }
            return nil
        }
        if let fresh { body(fresh) }
    }

    /// A current snapshot (see ``withSnapshot(_:)``).
    package func snapshot() async -> Snapshot {
        await withCheckedContinuation { continuation in
            withSnapshot { continuation.resume(returning: $0) }
        }
    }

    /// The plugin names `generation` lists, in wire order.
    package func names(in generation: GlancesGeneration) -> [String] {
        names.indices.filter { generations[$0].contains(generation) }.map { names[$0] }
    }

    /// The token of `snapshot` when it is the current one (a reply made from it may be replayed while
    /// ``isServing(_:)`` says so); `nil` for an older one.
    package func replayToken(for snapshot: Snapshot) -> ReplayToken? {
        state.withLock { $0.current === snapshot ? ReplayToken(serial: $0.serial) : nil }
    }

    /// Whether a request arriving now would be answered from the snapshot of `token`, at once and without starting
    /// a sample (``withSnapshot(_:)``): it is still the current one, not invalidated, and not yet near the end of
    /// its interval.
    package func isServing(_ token: ReplayToken) -> Bool {
        let now = Clock.monotonicSeconds()
        return state.withLock { state in
            state.serial == token.serial && now - state.finishedAt < interval - min(state.lastDuration, interval / 2)
        }
    }

    /// Makes every ``ReplayToken`` given so far stale (after a configuration reload).
    package func invalidateReplays() {
        state.withLock { $0.serial &+= 1 }
    }

    /// The last snapshot taken, whatever its age; nil before the first.
    package var latest: Snapshot? {
        state.withLock { $0.current }
    }

    /// Takes a sample now, in the background, so that the first caller finds deltas over a real
    /// interval (Glances' server also samples at start).
    package func prime() {
        state.withLock { state in
            guard !state.sampling else { return }
            state.sampling = true
            thread.async { [self] in takeSample() }
        }
    }

    /// Applies a reloaded configuration; the next call takes a new sample with it.
    package func reconfigure(_ configuration: PluginConfiguration) {
        thread.async { [self] in
            confined.collector.reconfigure(configuration)
            state.withLock {
                $0.finishedAt = -Double.infinity
                $0.serial &+= 1
            }
        }
    }

    private func takeSample() {
        let started = Clock.monotonicSeconds()
        let snapshot = confined.collector.sample()
        let finished = Clock.monotonicSeconds()
        var kept: HistoryFrame?
        if historySize > 0, let recordHistory {
            let previous = state.withLock {
                $0.history.isEmpty ? nil : $0.history[($0.historyNext + $0.history.count - 1) % $0.history.count]
            }
            kept = recordHistory(snapshot.sample, previous)
        }
        let waiters = state.withLock { state in
            if let kept {
                if state.history.count < historySize {
                    state.history.append(kept)
                } else {
                    state.history[state.historyNext] = kept
                    state.historyNext = (state.historyNext + 1) % historySize
                }
            }
            state.current = snapshot
            state.serial &+= 1
            state.finishedAt = finished
            state.lastDuration = finished - started
            state.sampling = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter(snapshot) }
        // The previous sample's renderings are being dropped now: their memory goes back to the system, at most
        // once per ``releaseInterval`` (it costs ~0.1 ms).
        let release = state.withLock { state in
            guard finished - state.releasedAt >= Self.releaseInterval else { return false }
            state.releasedAt = finished
            return true
        }
        if release { FreeMemory.release() }
    }
}

/// A call that may be made from two places (the new sample, the deadline): only the first goes through.
private final class PendingCall: Sendable {
    private let body: @Sendable (Snapshot) -> Void
    private let done = Locked(false)

    init(_ body: @escaping @Sendable (Snapshot) -> Void) {
        self.body = body
    }

    var isDone: Bool {
        done.withLock { $0 }
    }

    /// Calls the body with `snapshot` unless it was already called.
    func call(_ snapshot: Snapshot) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { body(snapshot) }
    }
}
