import Foundation
import GlancedStats
import GlancedSystem
import GlancedTestSupport
import Testing

/// Sends `count` bytes from one loopback TCP socket to another; returns the bytes received.
private func sendOverLoopback(_ count: Int) throws -> Int {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            guard bind(listener, raw, length) == 0, listen(listener, 1) == 0, getsockname(listener, raw, &length) == 0
            else { throw POSIXError(.EADDRNOTAVAIL) }
        }
    }
    let sender = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    let connected = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sender, $0, length) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let receiver = accept(listener, nil, nil)
    defer { close(receiver) }
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        let chunk = [UInt8](repeating: 0x55, count: 64 * 1024)
        var sent = 0
        while sent < count {
            let wrote = chunk.withUnsafeBytes { send(sender, $0.baseAddress, min($0.count, count - sent), 0) }
            if wrote <= 0 { break }
            sent += wrote
        }
        close(sender)
        done.signal()
    }
    var received = 0
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let got = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, 0) }
        if got <= 0 { break }
        received += got
    }
    done.wait()
    return received
}

@Suite struct NetworkPluginTests {
    @Test func firstSampleListsEveryInterfaceWithZeroDeltas() throws {
        let network = try #require(try PluginSampler([NetworkPlugin.self]).sample()["network"])
        var reader = NetworkCountersReader()
        #expect(network.items.compactMap { $0["interface_name"]?.stringValue } == reader.read().map(\.name))
        for interface in network.items {
            #expect(
                interface.keys == [
                    "interface_name", "cumulative_rx", "cumulative_tx", "cumulative_cx", "rx", "tx", "cx",
                    "time_since_update",
                ])
            #expect(interface["rx"] == .int(0) && interface["tx"] == .int(0) && interface["cx"] == .int(0))
            #expect(interface["time_since_update"] == .int(1))
            let rx = try #require(interface["cumulative_rx"]?.intValue)
            let tx = try #require(interface["cumulative_tx"]?.intValue)
            #expect(interface["cumulative_cx"] == .int(rx + tx))
        }
    }

    @Test func twoMegabytesOverLoopbackShowInLo() throws {
        let sampler = PluginSampler([NetworkPlugin.self])
        _ = try sampler.sample()
        let received = try sendOverLoopback(2 << 20)
        #expect(received == 2 << 20)
        let network = try #require(try sampler.sample()["network"])
        let lo = try #require(network.items.first { $0["interface_name"] == .string("lo") })
        let rx = try #require(lo["rx"]?.intValue)
        let tx = try #require(lo["tx"]?.intValue)
        #expect(rx >= 2 << 20 && tx >= 2 << 20, "rx \(rx) tx \(tx)")
        #expect(lo["cx"] == .int(rx + tx))
        let since = try #require(lo["time_since_update"]?.doubleValue)
        #expect(since > 0 && since < 30)
    }

    @Test func hiddenInterfacesAreLeftOut() throws {
        let configuration = PluginConfiguration(sections: [
            "network": ConfigSection([.init(key: "hide", value: "l., docker.*")])
        ])
        let network = try #require(
            try PluginSampler([NetworkPlugin.self], configuration: configuration).sample()["network"])
        #expect(!network.items.contains { $0["interface_name"] == .string("lo") })
        var reader = NetworkCountersReader()
        #expect(network.items.count == reader.read().filter { $0.name != "lo" && !$0.name.hasPrefix("docker") }.count)
    }
}
