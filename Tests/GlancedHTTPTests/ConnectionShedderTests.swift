import GlancedHTTP
import NIOCore
import Testing

/// Which connection is shed at the limit: the one that has gone longest without completing a request, never a busy
/// one.
@Suite struct ConnectionShedderTests {
    /// A time `seconds` after an arbitrary origin.
    static func at(_ seconds: Double) -> NIODeadline {
        .uptimeNanoseconds(UInt64(1_000_000_000 + seconds * 1e9))
    }

    /// Connections opened at 0, 1, 2, … seconds, all in one shedder.
    static func opened(_ count: Int) -> (ConnectionShedder, [ConnectionActivity]) {
        var shedder = ConnectionShedder()
        let connections = (0..<count).map { ConnectionActivity(serial: $0, openedAt: at(Double($0))) }
        for connection in connections { shedder.insert(connection) }
        return (shedder, connections)
    }

    @Test func theOldestSilentConnectionGoesFirst() {
        var (shedder, connections) = Self.opened(5)
        #expect(shedder.removeVictim()?.serial == 0)
        #expect(connections[0].isRetired)
        #expect(shedder.removeVictim()?.serial == 1)
        #expect(shedder.removeVictim()?.serial == 2)
    }

    @Test func aConnectionThatCompletedARequestRanksAfterEveryOneThatNeverDid() {
        var (shedder, connections) = Self.opened(3)
        // The oldest connection served a request long ago; the later ones never sent one.
        connections[0].requestCompleted(at: Self.at(0.5))
        #expect(connections[0].hasCompletedRequest)
        #expect(!connections[1].hasCompletedRequest)
        #expect(shedder.removeVictim()?.serial == 1)
        #expect(shedder.removeVictim()?.serial == 2)
        #expect(shedder.removeVictim()?.serial == 0)
        #expect(shedder.removeVictim() == nil)
    }

    @Test func servedConnectionsGoInTheOrderOfTheirLastCompletedRequest() {
        var (shedder, connections) = Self.opened(4)
        for (serial, time) in [(0, 10.0), (1, 13.0), (2, 11.0), (3, 12.0)] {
            connections[serial].requestCompleted(at: Self.at(time))
        }
        // Activity after insertion reorders (lazily) the heap.
        connections[0].requestCompleted(at: Self.at(14))
        #expect((0..<4).compactMap { _ in shedder.removeVictim()?.serial } == [2, 3, 1, 0])
    }

    @Test func busyConnectionsAreNeverShedAndStayCandidates() {
        var (shedder, connections) = Self.opened(3)
        #expect(connections[0].beginWork())  // answering a request
        #expect(connections[1].beginWork())  // writing a reply
        #expect(connections[0].isBusy)
        #expect(shedder.removeVictim()?.serial == 2)
        #expect(shedder.removeVictim() == nil, "all busy: the new connection is refused instead")
        #expect(!connections[0].isRetired && !connections[1].isRetired)
        connections[1].endWork()
        #expect(shedder.removeVictim()?.serial == 1)
        connections[0].endWork()
        #expect(shedder.removeVictim()?.serial == 0)
    }

    @Test func aShedConnectionCannotStartWork() {
        var (shedder, connections) = Self.opened(1)
        #expect(shedder.removeVictim()?.serial == 0)
        #expect(!connections[0].beginWork())
        #expect(!connections[0].isBusy)
    }

    @Test func closedConnectionsAreSkippedAndCompactedAway() {
        var (shedder, connections) = Self.opened(200)
        for connection in connections[..<150] { connection.retire() }
        shedder.compact(openConnections: 50)
        #expect(shedder.count == 50)
        #expect(shedder.removeVictim()?.serial == 150)
        connections[151].retire()
        #expect(shedder.removeVictim()?.serial == 152)
    }

    @Test func theSearchPassesOverABoundedNumberOfBusyConnections() {
        let count = ConnectionShedder.maxBusySkipped + 1
        var (shedder, connections) = Self.opened(count)
        for connection in connections.dropLast() { #expect(connection.beginWork()) }
        #expect(shedder.removeVictim() == nil)
        #expect(shedder.count == count, "the busy ones are kept")
        connections[0].endWork()
        #expect(shedder.removeVictim()?.serial == 0)
    }

    @Test func theDefaultConnectionLimitFollowsTheOpenFilesLimit() {
        #expect(OpenFileLimit.defaultConnectionLimit(softLimit: 1_024) == 768)
        #expect(OpenFileLimit.defaultConnectionLimit(softLimit: 300) == 150)
        #expect(OpenFileLimit.defaultConnectionLimit(softLimit: 8_192) == 4_096)
        #expect(OpenFileLimit.defaultConnectionLimit(softLimit: 1 << 20) == 4_096)
        #expect(OpenFileLimit.connectionCapacity(softLimit: 8_192) == 7_936)
        #expect(OpenFileLimit.connectionCapacity(softLimit: 1) == 1)
    }

    @Test func theSoftLimitIsRaisedToTheHardOne() {
        let soft = OpenFileLimit.raiseToHardLimit()
        let now = OpenFileLimit.current
        #expect(soft == now.soft)
        #expect(now.soft == now.hard || now.soft == 1 << 20)
    }
}
