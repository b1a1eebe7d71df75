import Foundation
import GlancedSystem
import Testing

@Suite struct NetworkCountersTests {
    @Test func parsesTheKernelsFormat() {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
              eth0: 9908535     260    1    2    3     4          5         6    16834     198    7    8    9    10      11         12
            veth-a.b:18446744073709551615 1 0 0 0 0 0 0 7 1 0 0 0 0 0 0

            """
        let parsed = Array(text.utf8).withUnsafeBufferPointer { NetworkCountersReader.parse($0) }
        #expect(
            parsed == [
                NetworkInterfaceCounters(
                    name: "lo", columns: [3193, 29, 0, 0, 0, 0, 0, 0, 3193, 29, 0, 0, 0, 0, 0, 0]),
                NetworkInterfaceCounters(
                    name: "eth0", columns: [9_908_535, 260, 1, 2, 3, 4, 5, 6, 16834, 198, 7, 8, 9, 10, 11, 12]),
                NetworkInterfaceCounters(
                    name: "veth-a.b", columns: [UInt64.max, 1, 0, 0, 0, 0, 0, 0, 7, 1, 0, 0, 0, 0, 0, 0]),
            ])
        let eth0 = parsed[1]
        #expect(eth0.receivedBytes == 9_908_535 && eth0.receivedPackets == 260 && eth0.receiveErrors == 1)
        #expect(eth0.receiveDrops == 2 && eth0.receiveFifo == 3 && eth0.receiveFrame == 4)
        #expect(eth0.receivedCompressed == 5 && eth0.receivedMulticast == 6 && eth0.sentBytes == 16834)
        #expect(eth0.sentPackets == 198 && eth0.sendErrors == 7 && eth0.sendDrops == 8 && eth0.sendFifo == 9)
        #expect(eth0.collisions == 10 && eth0.carrierErrors == 11 && eth0.sentCompressed == 12)
    }

    @Test func readsWhatTheKernelSays() throws {
        var reader = NetworkCountersReader()
        let interfaces = reader.read()
        let text = try String(contentsOfFile: "/proc/net/dev", encoding: .utf8)
        let names = text.split(separator: "\n").dropFirst(2).compactMap { line in
            line.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(interfaces.map(\.name) == names)
        let lo = try #require(interfaces.first { $0.name == "lo" })
        #expect(lo.receivedBytes == lo.sentBytes, "loopback sends what it receives")
    }
}
