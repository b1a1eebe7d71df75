import GlancedStats
import GlancedSystem
import Glibc
import Testing

/// The hddtemp plugin and source against real TCP peers on loopback.
@Suite struct HddtempPluginTests {
    /// What `FakeHddtemp.conformanceReply` lists.
    private static let conformanceDisks = [
        HddtempDisk(label: "sda", value: "35"), HddtempDisk(label: "sdb", value: "SLP"),
    ]

    /// A configuration whose `[hddtemp]` points at 127.0.0.1:`port`.
    private static func configuration(port: UInt16) -> PluginConfiguration {
        let section = ConfigSection([.init(key: "host", value: "127.0.0.1"), .init(key: "port", value: "\(port)")])
        return PluginConfiguration(sections: ["hddtemp": section])
    }

    /// A collector of `plugins` whose `[hddtemp]` points at 127.0.0.1:`port`.
    private static func collector(port: UInt16, _ plugins: [any StatsPlugin.Type] = [HddtempPlugin.self])
        -> StatsCollector
    {
        StatsCollector(configuration: configuration(port: port), plugins: plugins)
    }

    /// A monitor of 127.0.0.1:`port` whose first call waits for the first fetch, however slow the machine.
    private static func monitor(port: UInt16) -> HddtempMonitor {
        HddtempMonitor(client: HddtempClient(host: "127.0.0.1", port: port), firstWait: 10)
    }

    /// One sample's hddtemp disks; nil when the sample has no hddtemp plugin.
    private static func disks(_ collector: StatsCollector) -> [HddtempDisk]? {
        collector.sample().sample.stats(of: HddtempPlugin.self)?.disks
    }

    /// Samples every 50 ms until the hddtemp disks are `expected` or 5 s have passed; returns the last disks.
    private static func poll(_ collector: StatsCollector, until expected: [HddtempDisk]) -> [HddtempDisk]? {
        let deadline = Clock.monotonicSeconds() + 5
        var last = disks(collector)
        while last != expected, Clock.monotonicSeconds() < deadline {
            usleep(50_000)
            last = disks(collector)
        }
        return last
    }

    /// Whether `condition` holds within 5 s.
    private static func wait(_ condition: () -> Bool) -> Bool {
        let deadline = Clock.monotonicSeconds() + 5
        while !condition() {
            if Clock.monotonicSeconds() > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    @Test func conformanceReplyIsServed() throws {
        let peer = try FakeHddtemp(.reply(FakeHddtemp.conformanceReply))
        defer { peer.stop() }
        // The first sample waits 0.15 s for the first fetch; a loaded machine may take longer, and then a later
        // sample has it.
        #expect(Self.poll(Self.collector(port: peer.port), until: Self.conformanceDisks) == Self.conformanceDisks)
    }

    @Test func hddtempAndSensorsShareOneFetchPerSample() throws {
        let peer = try FakeHddtemp(.reply(FakeHddtemp.conformanceReply))
        defer { peer.stop() }
        let configuration = Self.configuration(port: peer.port)
        let store = SourceStore(configuration: configuration)
        let monitor = store.source(HddtempSource.self).monitor
        var hddtemp = HddtempPlugin(configuration: configuration)
        var sensors = SensorsPlugin(configuration: configuration)
        var seen: (hddtemp: [HddtempDisk], sensors: [HddtempDisk]) = ([], [])
        for sample in 1...2 {
            let refresh = Refresh(store: store)
            seen = (hddtemp.update(refresh).disks, sensors.update(refresh).disks)
            #expect(Self.wait { monitor.completedFetches == sample })
            #expect(peer.hits == sample, "one connection per sample, not one per plugin")
        }
        #expect(seen.hddtemp == Self.conformanceDisks)
        #expect(seen.sensors == Self.conformanceDisks)
    }

    @Test func statusValuesAreKeptAsSent() throws {
        let peer = try FakeHddtemp(.reply(Array("|/dev/sda|A|ERR|*||/dev/sdb|B|NA|*||/dev/nvme0n1|C|41|C|".utf8)))
        defer { peer.stop() }
        #expect(
            Self.monitor(port: peer.port).disks() == [
                HddtempDisk(label: "sda", value: "ERR"), HddtempDisk(label: "sdb", value: "NA"),
                HddtempDisk(label: "nvme0n1", value: "41"),
            ])
    }

    @Test func hangingPeerNeverDelaysASample() throws {
        let peer = try FakeHddtemp(.hang(seconds: 4))
        defer { peer.stop() }
        let collector = Self.collector(port: peer.port, [HddtempPlugin.self, SensorsPlugin.self])
        for _ in 0..<3 {
            let start = Clock.monotonicSeconds()
            let snapshot = collector.sample()
            // Far below the 4 s the peer hangs for, with room for a loaded machine.
            #expect(Clock.monotonicSeconds() - start < 2)
            #expect(snapshot.sample.stats(of: HddtempPlugin.self)?.disks == [])
        }
        #expect(peer.hits <= 1, "no second fetch while the first one hangs")
    }

    @Test func garbageGivesNoDisks() throws {
        let peer = try FakeHddtemp(.reply(Array("HTTP/1.1 400 Bad Request\r\n\r\n\u{0}\u{1}garbage".utf8)))
        defer { peer.stop() }
        let monitor = Self.monitor(port: peer.port)
        #expect(monitor.disks() == [])
        #expect(monitor.completedFetches == 1 && monitor.lastError == nil, "read, and nothing parsed")
    }

    @Test func oversizedReplyIsReadUpTo64KiB() throws {
        let record = Array("|/dev/sda|M|35|C|".utf8)  // 17 bytes
        let peer = try FakeHddtemp(
            .reply(Array([[UInt8]](repeating: record, count: 1_000_000 / record.count).joined())))
        defer { peer.stop() }
        let disks = Self.monitor(port: peer.port).disks()
        #expect(disks.count == 65_536 / record.count)
        #expect(disks.allSatisfy { $0 == HddtempDisk(label: "sda", value: "35") })
    }

    @Test func noDaemonGivesAnEmptyList() throws {
        let port = try FakeHddtemp.closedPort()
        let collector = Self.collector(port: port)
        #expect(Self.disks(collector) == [])
        #expect(Self.disks(collector) == [])
        let monitor = Self.monitor(port: port)
        #expect(monitor.disks() == [])
        #expect(monitor.lastError == HddtempError(step: .connect, code: ECONNREFUSED))
    }

    @Test func daemonThatComesBackIsSeenAgain() throws {
        let port = try FakeHddtemp.closedPort()
        let collector = Self.collector(port: port)
        #expect(Self.disks(collector) == [])
        let peer = try FakeHddtemp(.reply(FakeHddtemp.conformanceReply), port: port)
        defer { peer.stop() }
        #expect(Self.poll(collector, until: Self.conformanceDisks) == Self.conformanceDisks)
    }

    @Test func daemonThatGoesAwayLeavesNoStaleDisks() throws {
        let peer = try FakeHddtemp(.reply(FakeHddtemp.conformanceReply))
        let collector = Self.collector(port: peer.port)
        #expect(Self.poll(collector, until: Self.conformanceDisks) == Self.conformanceDisks)
        peer.stop()
        #expect(Self.poll(collector, until: []) == [])
    }

    @Test func configurationGivesTheAddress() {
        func client(_ entries: [ConfigSection.Entry]) -> HddtempClient {
            HddtempSource.client(ConfigSection(entries))
        }
        #expect(client([]).host == "127.0.0.1")
        #expect(client([]).port == 7634)
        let set = client([.init(key: "host", value: "nas.local"), .init(key: "port", value: "7777")])
        #expect(set.host == "nas.local" && set.port == 7777)
        #expect(client([.init(key: "port", value: "0")]).port == 7634)
        #expect(client([.init(key: "port", value: "70000")]).port == 7634)
        #expect(client([.init(key: "port", value: "x")]).port == 7634)
        #expect(client([.init(key: "host", value: "")]).host == "127.0.0.1")
    }
}
