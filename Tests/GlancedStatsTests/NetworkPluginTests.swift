import Foundation
import GlancedStats
import GlancedSystem
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
    /// The v3/v4 `speed` (Mbit/s × 1048576) clamps instead of trapping on an absurd speed file
    /// (FuzzGlances2JSON's finding); unknown or negative speeds are 0.
    @Test func speedClampsAtIntMax() {
        func speed(_ mbps: Int?) -> Int {
            NetworkPlugin.Interface(
                counters: NetworkInterfaceCounters(name: "eth0", receivedBytes: 0, sentBytes: 0), receivedDelta: 0,
                sentDelta: 0, link: NetworkLink(operState: "up", isUp: true, speedMbps: mbps)
            ).speed
        }
        #expect(speed(1000) == 1_048_576_000)
        #expect(speed(Int(Int32.max)) == Int(Int32.max) * 1_048_576)
        #expect(speed(.max) == .max)
        #expect(speed(-1) == 0)
        #expect(speed(nil) == 0)
    }

    @Test func firstSampleListsEveryInterfaceWithZeroDeltas() throws {
        // The counters are read just before and just after the sample: they bound the plugin's.
        var reader = NetworkCountersReader()
        let before = reader.read()
        let network = try PluginSampler([NetworkPlugin.self]).stats(of: NetworkPlugin.self)
        let after = reader.read()
        #expect(network.interfaces.map(\.counters.name) == after.map(\.name))
        #expect(network.interval == nil, "no interval on the first sample (written as the int 1)")
        for interface in network.interfaces {
            let counters = interface.counters
            #expect(interface.receivedDelta == 0 && interface.sentDelta == 0, "\(counters.name)")
            let old = try #require(before.first { $0.name == counters.name })
            let new = try #require(after.first { $0.name == counters.name })
            #expect(counters.receivedBytes >= old.receivedBytes && counters.receivedBytes <= new.receivedBytes)
            #expect(counters.sentBytes >= old.sentBytes && counters.sentBytes <= new.sentBytes)
        }
    }

    @Test func twoMegabytesOverLoopbackShowInLo() throws {
        let sampler = PluginSampler([NetworkPlugin.self])
        let first = try sampler.stats(of: NetworkPlugin.self)
        let received = try sendOverLoopback(2 << 20)
        #expect(received == 2 << 20)
        let network = try sampler.stats(of: NetworkPlugin.self)
        let lo = try #require(network.interfaces.first { $0.counters.name == "lo" })
        #expect(lo.receivedDelta >= 2 << 20 && lo.sentDelta >= 2 << 20, "rx \(lo.receivedDelta) tx \(lo.sentDelta)")
        let old = try #require(first.interfaces.first { $0.counters.name == "lo" })
        #expect(lo.receivedDelta == lo.counters.receivedBytes - old.counters.receivedBytes)
        #expect(lo.sentDelta == lo.counters.sentBytes - old.counters.sentBytes)
        let since = try #require(network.interval)
        #expect(since > 0 && since < 30)
    }

    @Test func hiddenInterfacesAreLeftOut() throws {
        let configuration = PluginConfiguration(sections: [
            "network": ConfigSection([.init(key: "hide", value: "l., docker.*")])
        ])
        let network = try PluginSampler([NetworkPlugin.self], configuration: configuration).stats(
            of: NetworkPlugin.self)
        #expect(!network.interfaces.contains { $0.counters.name == "lo" })
        var reader = NetworkCountersReader()
        #expect(
            network.interfaces.map(\.counters.name)
                == reader.read().map(\.name).filter { $0 != "lo" && !$0.hasPrefix("docker") })
    }
}
