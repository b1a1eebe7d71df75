import Foundation
import GlancedSystem
import Testing

@Suite struct NetworkCountersTests {
    @Test func parsesTheKernelsFormat() {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
              eth0: 9908535     260    0    0    0     0          0         0    16834     198    0    0    0     0       0          0
            veth-a.b:18446744073709551615 1 0 0 0 0 0 0 7 1 0 0 0 0 0 0

            """
        let parsed = Array(text.utf8).withUnsafeBufferPointer { NetworkCountersReader.parse($0) }
        #expect(
            parsed == [
                NetworkInterfaceCounters(name: "lo", receivedBytes: 3193, sentBytes: 3193),
                NetworkInterfaceCounters(name: "eth0", receivedBytes: 9_908_535, sentBytes: 16834),
                NetworkInterfaceCounters(name: "veth-a.b", receivedBytes: UInt64.max, sentBytes: 7),
            ])
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
