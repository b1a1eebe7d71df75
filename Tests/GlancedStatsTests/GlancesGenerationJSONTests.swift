import GlancedStats
import GlancedSystem
import Testing

/// The 3.x and 4.x renderings of typed values, byte for byte.
@Suite struct GlancesGenerationJSONTests {
    static func text(_ stats: some PluginStats, _ generation: GlancesGeneration) -> String {
        var json = JSONWriter()
        stats.write(generation, into: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static let network = NetworkPlugin.Stats(
        interfaces: [
            NetworkPlugin.Interface(
                counters: NetworkInterfaceCounters(name: "eth0", receivedBytes: 5000, sentBytes: 3000),
                receivedDelta: 300, sentDelta: 101,
                link: NetworkLink(operState: "up", isUp: true, speedMbps: 1000, mtu: 1500, alias: "uplink"))
        ], interval: 2)

    @Test func networkIn3HasRxTxLinkAndKey() {
        #expect(
            Self.text(Self.network, .v3)
                == #"[{"interface_name": "eth0", "alias": "uplink", "time_since_update": 2.0, "cumulative_rx": 5000, "#
                + #""rx": 300, "cumulative_tx": 3000, "tx": 101, "cumulative_cx": 8000, "cx": 401, "is_up": true, "#
                + #""speed": 1048576000, "key": "interface_name"}]"#)
    }

    @Test func networkIn4HasBytesGaugesAndRates() {
        #expect(
            Self.text(Self.network, .v4)
                == #"[{"speed": 1048576000, "key": "interface_name", "interface_name": "eth0", "alias": "uplink", "#
                + #""time_since_update": 2.0, "bytes_recv": 300, "bytes_recv_gauge": 5000, "#
                + #""bytes_recv_rate_per_sec": 150.0, "bytes_sent": 101, "bytes_sent_gauge": 3000, "#
                + #""bytes_sent_rate_per_sec": 50.0, "bytes_all": 401, "bytes_all_gauge": 8000, "#
                + #""bytes_all_rate_per_sec": 200.0}]"#)
    }

    @Test func nowIsAStringIn3AndAnObjectIn4() {
        let now = NowPlugin.Stats(
            epoch: 0, text: "2026-12-03 21:47:36", zoned: "2026-12-03 21:47:36 UTC", iso: "2026-12-03T21:47:36+00:00")
        #expect(Self.text(now, .v2) == #""2026-12-03 21:47:36""#)
        #expect(Self.text(now, .v3) == #""2026-12-03 21:47:36 UTC""#)
        #expect(Self.text(now, .v4) == #"{"iso": "2026-12-03T21:47:36+00:00", "custom": "2026-12-03 21:47:36 UTC"}"#)
    }

    @Test func psutilVersionIsAListIn3AndAStringIn4() {
        let version = PsutilVersionPlugin.Stats(version: [4, 0, 2])
        #expect(Self.text(version, .v3) == "[4, 0, 2]")
        #expect(Self.text(version, .v4) == #""4.0.2""#)
    }

    @Test func quicklookIn3And4() {
        let quicklook = QuickLookPlugin.Stats(
            cpu: CPUPercentages(from: nil, to: CPUTicks()), cpus: [], memPercent: 12.5, swapPercent: 0,
            load15: 1, logicalCores: 4, physicalCores: 2, cpuName: "Test CPU", currentHz: 2_000_000_000, maxHz: nil)
        #expect(
            Self.text(quicklook, .v3)
                == #"{"cpu": 0.0, "percpu": [], "mem": 12.5, "swap": 0.0, "cpu_name": "Test CPU", "#
                + #""cpu_hz_current": 2000000000.0, "cpu_hz": 0.0}"#)
        #expect(
            Self.text(quicklook, .v4)
                == #"{"cpu_name": "Test CPU", "cpu_hz_current": 2000000000.0, "cpu_hz": null, "cpu": 0.0, "#
                + #""percpu": [], "mem": 12.5, "swap": 0.0, "cpu_log_core": 4, "cpu_phys_core": 2, "load": 25.0, "#
                + #""gpu_mem": 0, "gpu_proc": 0}"#)
    }

    @Test func getAllOfEachGenerationCarriesItsOwnPlugins() {
        let sample = Sample(
            names: ["hddtemp", "ports", "psutilversion"],
            stats: [
                HddtempPlugin.Stats(disks: []), PortsPlugin.Stats(), PsutilVersionPlugin.Stats(version: [4, 0, 2]),
            ],
            inGetAll: [true, true, true], sequence: 1, monotonic: 0, epoch: 0,
            generations: [[.v2], [.v3, .v4], [.v2, .v3, .v4]])
        #expect(
            String(decoding: Glances2JSON.all(sample), as: UTF8.self) == #"{"hddtemp": [], "psutilversion": [4, 0, 2]}"#
        )
        #expect(
            String(decoding: Glances3JSON.all(sample), as: UTF8.self) == #"{"ports": [], "psutilversion": [4, 0, 2]}"#)
        #expect(
            String(decoding: Glances4JSON.all(sample), as: UTF8.self) == #"{"ports": [], "psutilversion": "4.0.2"}"#)
        #expect(sample.names(in: .v3) == ["ports", "psutilversion"])
    }

    @Test func viewsDecorateFromTheLimits() {
        let sample = Sample(
            names: ["load"], stats: [LoadPlugin.Stats(one: 0.5, five: 3, fifteen: 11, cores: 2)], inGetAll: [true],
            sequence: 1, monotonic: 0, epoch: 0)
        let limits = ConfigSection(LoadPlugin.defaultOptions)
        let views = String(decoding: GlancesViews.plugin(sample, at: 0, limits: limits), as: UTF8.self)
        let rest = #", "optional": false, "additional": false, "splittable": false, "hidden": false}"#
        #expect(
            views
                == #"{"min1": {"decoration": "OK""# + rest + #", "min5": {"decoration": "WARNING""# + rest
                + #", "min15": {"decoration": "CRITICAL""# + rest + #", "cpucore": {"decoration": "DEFAULT""# + rest
                + "}")
    }

    @Test func listViewsAreKeyedByEachEntrysKey() {
        let sample = Sample(
            names: ["network"], stats: [Self.network], inGetAll: [true], sequence: 1, monotonic: 0, epoch: 0)
        let views = String(decoding: GlancesViews.plugin(sample, at: 0, limits: ConfigSection()), as: UTF8.self)
        #expect(views.hasPrefix(#"{"eth0": {"speed": {"decoration": "DEFAULT""#))
    }
}
