internal import Glibc

/// The two clocks a sample is stamped with.
package enum Clock {
    /// Seconds on the monotonic clock (`CLOCK_MONOTONIC`).
    package static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Seconds since the epoch (`CLOCK_REALTIME`).
    package static func epochSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
