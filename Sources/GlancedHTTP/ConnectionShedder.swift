/// Chooses which connection to close when a new one arrives at the connection limit: the one that has gone
/// longest without completing a request (``ConnectionActivity/rank``), never a busy one.
///
/// A min-heap on rank, updated lazily: a connection's rank only grows, so an entry holds a rank no larger than the
/// connection's current one. Activity costs the heap nothing; when an entry reaches the top with a stale rank it
/// is corrected and sifted down, and an entry at the top whose rank is current is the true minimum. Entries of
/// closed connections stay until they reach the top or the heap is compacted (when it holds more than twice the
/// open connections). Inserting is O(log n); choosing a victim is O(log n) plus the corrections earned by activity
/// since.
///
/// Not thread-safe: the server keeps it behind its lock.
package struct ConnectionShedder {
    /// The most busy connections passed over in one search; past it the new connection is refused instead, so a
    /// crowd of busy connections cannot make every accept slow.
    package static let maxBusySkipped = 64

    private struct Entry {
        var rank: UInt64
        let activity: ConnectionActivity
    }

    /// The heap, smallest rank first.
    private var entries: [Entry] = []

    /// Creates an empty shedder.
    package init() {}

    /// The entries held, those of closed connections not yet dropped included.
    package var count: Int {
        self.entries.count
    }

    /// Adds an open connection.
    package mutating func insert(_ activity: ConnectionActivity) {
        self.entries.append(Entry(rank: activity.rank, activity: activity))
        self.siftUp(self.entries.count - 1)
    }

    /// Finds the idle connection with the smallest rank, retires it (``ConnectionActivity/claimForShedding()``)
    /// and forgets it; the caller closes it.
    ///
    /// - Returns: The connection to close, or `nil` when every connection is busy (or the first
    ///   ``maxBusySkipped`` candidates are).
    package mutating func removeVictim() -> ConnectionActivity? {
        var skipped: [Entry] = []
        defer {
            for entry in skipped {
                self.entries.append(entry)
                self.siftUp(self.entries.count - 1)
            }
        }
        while let top = self.entries.first {
            let activity = top.activity
            if activity.isRetired {
                self.removeTop()
                continue
            }
            let rank = activity.rank
            if rank != top.rank {
                self.entries[0].rank = rank
                self.siftDown(0)
                continue
            }
            if activity.claimForShedding() {
                self.removeTop()
                return activity
            }
            // Busy: set aside while the next is looked at, then put back.
            self.removeTop()
            skipped.append(top)
            if skipped.count >= Self.maxBusySkipped { return nil }
        }
        return nil
    }

    /// Drops the entries of closed connections once they outnumber the open ones.
    ///
    /// - Parameter openConnections: The connections open now.
    package mutating func compact(openConnections: Int) {
        guard self.entries.count > 2 * openConnections + 64 else { return }
        self.entries.removeAll { $0.activity.isRetired }
        for index in self.entries.indices { self.entries[index].rank = self.entries[index].activity.rank }
        guard self.entries.count > 1 else { return }
        for index in stride(from: self.entries.count / 2 - 1, through: 0, by: -1) { self.siftDown(index) }
    }

    // MARK: Heap

    private mutating func removeTop() {
        let last = self.entries.removeLast()
        guard !self.entries.isEmpty else { return }
        self.entries[0] = last
        self.siftDown(0)
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.entries[child].rank < self.entries[parent].rank else { return }
            self.entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let count = self.entries.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            let right = left + 1
            let smaller = right < count && self.entries[right].rank < self.entries[left].rank ? right : left
            guard self.entries[smaller].rank < self.entries[parent].rank else { return }
            self.entries.swapAt(smaller, parent)
            parent = smaller
        }
    }
}
