internal import Dispatch
import GlancedSync

/// Keeps the hddtemp daemon's last answer, fetched in the background so that a sample never waits for
/// the daemon.
///
/// Each ``disks()`` call starts a fetch on the monitor's own queue unless one is still running, and
/// returns the result of the last fetch that completed: a hanging daemon delays nothing (its fetch
/// just ends at the client's timeout), a dead daemon gives `[]` (a failed fetch replaces the previous
/// result, never leaving stale temperatures behind), and a daemon that comes back is seen again,
/// since every sample retries. The very first call waits up to ``firstWait`` for the first fetch, so
/// that a daemon answering promptly is in the first sample.
package final class HddtempMonitor: Sendable {
    private struct State {
        var latest: [HddtempDisk] = []
        var lastError: HddtempError?
        var fetching = false
        var completed = 0
        var used = false
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "glanced.hddtemp")
    private let group = DispatchGroup()

    /// How the daemon is reached.
    package let client: HddtempClient
    /// Seconds the first ``disks()`` call waits for the first fetch.
    package let firstWait: Double

    /// Creates a monitor; nothing is fetched before the first ``disks()`` call.
    ///
    /// - Parameters:
    ///   - client: the daemon's address and the fetch's bounds.
    ///   - firstWait: seconds the first call waits for the first fetch.
    package init(client: HddtempClient, firstWait: Double = 0.15) {
        self.client = client
        self.firstWait = firstWait
    }

    /// The disks of the last completed fetch; starts a new fetch unless one is running.
    ///
    /// Never blocks, except the first call, for at most ``firstWait`` seconds.
    package func disks() -> [HddtempDisk] {
        let first = state.withLock { state in
            defer { state.used = true }
            return !state.used
        }
        startFetchUnlessRunning()
        if first { _ = group.wait(timeout: .now() + .nanoseconds(Int(firstWait * 1e9))) }
        return state.withLock { $0.latest }
    }

    /// How many fetches have completed, successfully or not.
    package var completedFetches: Int {
        state.withLock { $0.completed }
    }

    /// Why the last completed fetch failed; nil when it succeeded (or none has completed).
    package var lastError: HddtempError? {
        state.withLock { $0.lastError }
    }

    private func startFetchUnlessRunning() {
        let start = state.withLock { state in
            guard !state.fetching else { return false }
            state.fetching = true
            return true
        }
        guard start else { return }
        queue.async(group: group) { [self] in
            let disks: [HddtempDisk]
            let failure: HddtempError?
            switch client.fetch() {
            case .success(let reply): (disks, failure) = (HddtempReply.parse(reply), nil)
            case .failure(let error): (disks, failure) = ([], error)
            }
            state.withLock { state in
                state.latest = disks
                state.lastError = failure
                state.fetching = false
                state.completed += 1
            }
        }
    }
}
