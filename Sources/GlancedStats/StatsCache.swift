import Dispatch
import GlancedSystem
import Synchronization

/// Hands out the current sample, taking a new one at most once per refresh interval.
///
/// Sampling is lazy, as in Glances' server: the first caller after the interval has passed starts one
/// new sample and waits for it — never one sample per caller. Callers that arrive while that sample
/// runs are answered at once from the previous one when it is less than two intervals old (so a
/// refresh, ~25 ms with a thousand processes, never stalls the other clients); otherwise (the first
/// sample, after a long idle spell, after a reload) they wait for the same new sample. A snapshot is
/// handed out synchronously, without a thread hop, whenever one is answered at once. Nobody polling
/// means no sampling at all.
package final class StatsCache: Sendable {
    private struct State {
        var current: Snapshot?
        /// Monotonic time the current snapshot was finished (the interval counts from then, as
        /// Glances' timer starts after its update).
        var finishedAt: Double = 0
        var sampling = false
        var waiters: [@Sendable (Snapshot) -> Void] = []
    }

    /// Confines the collector to the sampling queue.
    ///
    /// `@unchecked Sendable`: the collector is only touched by blocks running on `queue`, which is serial.
    private final class Confined: @unchecked Sendable {
        let collector: StatsCollector
        init(_ collector: StatsCollector) { self.collector = collector }
    }

    private let state = Mutex(State())
    private let confined: Confined
    private let queue = DispatchQueue(label: "glanced.sampling")

    /// Seconds a sample stays current (`-t`).
    package let interval: Double
    /// The plugin names, in wire order.
    package let names: [String]

    /// Serves samples from `collector`, refreshed at most every `interval` seconds.
    package init(collector: sending StatsCollector, interval: Double) {
        self.names = collector.names
        self.confined = Confined(collector)
        self.interval = interval
    }

    /// Calls `body` with a current snapshot: at once when the last one is fresh, or when a new sample
    /// is already being taken and the last one is less than two intervals old; else after the shared
    /// new sample is taken (on the sampling thread).
    package func withSnapshot(_ body: @escaping @Sendable (Snapshot) -> Void) {
        let now = Clock.monotonicSeconds()
        let fresh: Snapshot? = state.withLock { state in
            if let current = state.current {
                let age = now - state.finishedAt
                if age < interval || (state.sampling && age < 2 * interval) { return current }
            }
            state.waiters.append(body)
            if !state.sampling {
                state.sampling = true
                queue.async { [self] in takeSample() }
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
            queue.async { [self] in takeSample() }
        }
    }

    /// Applies a reloaded configuration; the next call takes a new sample with it.
    package func reconfigure(_ configuration: PluginConfiguration) {
        queue.async { [self] in
            confined.collector.reconfigure(configuration)
            state.withLock { $0.finishedAt = -Double.infinity }
        }
    }

    private func takeSample() {
        let snapshot = confined.collector.sample()
        let finished = Clock.monotonicSeconds()
        let waiters = state.withLock { state in
            state.current = snapshot
            state.finishedAt = finished
            state.sampling = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter(snapshot) }
    }
}
