import NIOCore

/// When a connection is closed for want of progress: the idle timeout between requests and for one whole request
/// (against slow-loris clients), or the short drain after the last reply.
///
/// One timer enforces it, re-armed lazily: moving the deadline later schedules nothing, the timer re-arms itself
/// when it fires early, so a request costs a clock read. The owner schedules the timer (on its event loop) and is
/// told when the deadline has passed.
struct ConnectionDeadline {
    /// What a timer firing means.
    enum Expiry: Equatable {
        /// The deadline has passed: close the connection.
        case expired
        /// The deadline was moved later: schedule the timer again at this time.
        case rearm(NIODeadline)
        /// There is no deadline now (a responder is working): nothing to do until one is set.
        case none
    }

    /// The longest a connection drains input after its last reply.
    static let lingerTimeout = TimeAmount.seconds(2)

    /// When the connection will be closed unless it progresses; `nil` while the responder works.
    private(set) var deadline: NIODeadline?
    /// The one timer that enforces ``deadline``.
    private var timer: Scheduled<Void>?
    /// When `timer` fires.
    private var timerFireTime = NIODeadline.distantFuture

    /// Moves the deadline to `deadline`. A timer already due no later is kept; otherwise `schedule` is called to
    /// schedule one at `deadline` (and the old one is cancelled).
    ///
    /// - Parameters:
    ///   - deadline: The new deadline.
    ///   - schedule: Schedules the timer at the time given; the timer must call ``timerFired(now:)``.
    mutating func set(_ deadline: NIODeadline, schedule: (NIODeadline) -> Scheduled<Void>) {
        self.deadline = deadline
        if self.timer == nil || self.timerFireTime > deadline {
            self.timer?.cancel()
            self.rearm(at: deadline, schedule: schedule)
        }
    }

    /// Schedules the timer at `time` (after ``timerFired(now:)`` said ``Expiry/rearm(_:)``).
    mutating func rearm(at time: NIODeadline, schedule: (NIODeadline) -> Scheduled<Void>) {
        self.timerFireTime = time
        self.timer = schedule(time)
    }

    /// Suspends the deadline (while the responder works); the timer stays and finds nothing to do.
    mutating func suspend() {
        self.deadline = nil
    }

    /// Clears the deadline and cancels the timer: the connection is closing.
    mutating func stop() {
        self.deadline = nil
        self.timer?.cancel()
        self.timer = nil
    }

    /// Called by the timer: forgets it, and says what to do.
    mutating func timerFired(now: NIODeadline) -> Expiry {
        self.timer = nil
        guard let deadline = self.deadline else { return .none }
        return deadline <= now ? .expired : .rearm(deadline)
    }
}
