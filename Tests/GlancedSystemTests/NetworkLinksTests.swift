import Foundation
import GlancedSystem
import Testing

@Suite struct NetworkLinksTests {
    /// Each interface's link facts are what its sysfs files say now.
    @Test func readsWhatSysfsSays() throws {
        var reader = NetworkLinkReader()
        let names = try FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")
        #expect(!names.isEmpty)
        for name in names {
            let directory = "/sys/class/net/\(name)/"
            func file(_ leaf: String) -> String? {
                (try? String(contentsOfFile: directory + leaf, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let read = reader.read(name)
            let link = try #require(read, "\(name)")
            #expect(link.operState == file("operstate"))
            #expect(link.mtu == file("mtu").flatMap { Int($0) })
            let speed = file("speed").flatMap { Int($0) }
            #expect(link.speedMbps == (speed.map { $0 > 0 ? $0 : nil } ?? nil))
            let flags = file("flags").flatMap { UInt32($0.dropFirst(2), radix: 16) } ?? 0
            #expect(link.isUp == (flags & 1 != 0 && (link.operState == "up" || link.operState == "unknown")))
            #expect(link.address == file("address"))
        }
        // Loopback is always there and always up.
        let lo = reader.read("lo")
        let loopback = try #require(lo)
        #expect(loopback.isUp && loopback.speedMbps == nil)
    }

    @Test func namesThatAreNotInterfacesGiveNothing() {
        var reader = NetworkLinkReader()
        for name in ["", ".", "..", "../../etc", "no-such-interface-xyz"] {
            #expect(reader.read(name) == nil, "\(name)")
        }
    }
}
