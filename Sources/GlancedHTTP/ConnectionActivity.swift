package import NIOCore
import Synchronization

/// What the server knows of one open connection to choose which one to shed at the connection limit: how long it
/// has gone without completing a request, and whether it is busy (a responder is working on its request, or a reply
/// is being written). The connection's handler updates it on its event loop; the server reads it from whichever
/// loop accepts a new connection, so everything here is atomic.
///
/// Once shed (or closed) it is retired: the handler can no longer start work on it.
package final class ConnectionActivity: Sendable {
    /// The ``rank`` bit of a connection that has completed at least one request.
    private static let servedBit: UInt64 = 1 << 63
    /// The ``work`` value of a retired connection.
    private static let retired = -1

    /// Names the connection for its server.
    package let serial: Int
    /// The open time (uptime nanoseconds) until a request completes, then ``servedBit`` plus the time the last
    /// reply was written: the smallest is shed first. Only grows.
    private let rankValue: Atomic<UInt64>
    /// The work in progress (a request being answered, a reply being written), or ``retired``.
    private let work = Atomic<Int>(0)

    /// Creates the record of a connection opened at `openedAt`.
    ///
    /// - Parameters:
    ///   - serial: Names the connection for its server.
    ///   - openedAt: When the connection was accepted.
    package init(serial: Int, openedAt: NIODeadline) {
        self.serial = serial
        self.rankValue = Atomic(openedAt.uptimeNanoseconds & ~Self.servedBit)
    }

    /// Where the connection stands in the shedding order: the connection with the smallest rank is shed first.
    /// A connection that never completed a request ranks by its open time, below every connection that did; those
    /// rank by when their last reply was written.
    package var rank: UInt64 {
        self.rankValue.load(ordering: .acquiring)
    }

    /// Whether the connection has completed a request.
    package var hasCompletedRequest: Bool {
        self.rank & Self.servedBit != 0
    }

    /// Whether a request is being answered or a reply written.
    package var isBusy: Bool {
        self.work.load(ordering: .acquiring) > 0
    }

    /// Whether the connection was shed or closed.
    package var isRetired: Bool {
        self.work.load(ordering: .acquiring) == Self.retired
    }

    /// Records that a reply was written whole at `time`.
    package func requestCompleted(at time: NIODeadline) {
        let rank = Self.servedBit | (time.uptimeNanoseconds & ~Self.servedBit)
        // A compare-and-exchange loop rather than `max`, which compares 64-bit values as signed here.
        var current = self.rankValue.load(ordering: .acquiring)
        while current < rank {
            let (exchanged, original) = self.rankValue.compareExchange(
                expected: current, desired: rank, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Starts a piece of work (answering a request, writing a reply) that shedding must not interrupt.
    ///
    /// - Returns: `false` if the connection was shed or closed: it must not start anything, only close.
    package func beginWork() -> Bool {
        var current = self.work.load(ordering: .acquiring)
        while current != Self.retired {
            let (exchanged, original) = self.work.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Ends a piece of work started by ``beginWork()``.
    package func endWork() {
        var current = self.work.load(ordering: .acquiring)
        while current > 0 {
            let (exchanged, original) = self.work.compareExchange(
                expected: current, desired: current - 1, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Retires the connection for shedding if it is not busy.
    ///
    /// - Returns: Whether it was idle and is now retired: the caller closes it.
    package func claimForShedding() -> Bool {
        self.work.compareExchange(expected: 0, desired: Self.retired, ordering: .acquiringAndReleasing).exchanged
    }

    /// Retires the connection, busy or not: it is closed.
    package func retire() {
        self.work.store(Self.retired, ordering: .releasing)
    }
}
