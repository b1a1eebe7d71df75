import Foundation
import GlancedServer
import GlancedStats
import GlancedSystem
import Testing

/// The REST routes answered from hand-made samples: exact status codes and bytes, no sockets.
@Suite struct RESTRoutesTests {
    private static func sample(load one: Double = 0.5, epoch: Double = 1_780_000_000, sequence: Int = 1) -> Sample {
        let root = MountEntry(device: "/dev/vda1", fsType: "ext4", mountPoint: "/")
        let data = MountEntry(device: "/dev/vdb", fsType: "xfs", mountPoint: "/srv/data")
        let stats: [any PluginStats] = [
            LoadPlugin.Stats(one: one, five: 0.25, fifteen: 0.125, cores: 2),
            FsPlugin.Stats(mounts: [
                MountUsage(mount: root, size: 1000, used: 250, available: 700),
                MountUsage(mount: data, size: 4000, used: 1000, available: 3000),
            ]),
            HelpPlugin.Stats(),
        ]
        return Sample(
            names: ["load", "fs", "help"], stats: stats, inGetAll: [true, true, true], sequence: sequence,
            monotonic: 1, epoch: epoch)
    }

    private static let config: GlancesConfig = {
        let text = """
            [load]
            careful=0.7
            [passwords]
            server1=secret
            [outputs]
            api_token=abc
            curse_theme=black
            """
        return (try? GlancesConfig.parse(text, path: "test.conf")) ?? .defaults
    }()

    private static func answer(
        _ path: String, generation: GlancesAPI = .glances2REST(plugins: ["load", "fs", "help"]), history: [Sample] = []
    ) -> (Int, String) {
        let route = path.split(separator: "/", omittingEmptySubsequences: false).map {
            RESTResponder.percentDecoded($0)
        }
        let routes = RESTRoutes(
            generation: generation, sample: sample(), config: config, arguments: [("port", "61209")],
            history: { history.map { GlancesAPI.historyFrame($0, generations: [generation], previous: nil) } },
            historySize: 300)
        let rendering = routes.answer(route)
        return (rendering.status, String(decoding: rendering.body, as: UTF8.self))
    }

    @Test func pluginsListAllAndOnePlugin() {
        #expect(Self.answer("pluginslist") == (200, #"["load", "fs", "help"]"#))
        #expect(Self.answer("load") == (200, #"{"min1": 0.5, "min5": 0.25, "min15": 0.125, "cpucore": 2}"#))
        #expect(Self.answer("help") == (200, "null"))
        let (status, all) = Self.answer("all")
        #expect(status == 200)
        #expect(all.hasPrefix(#"{"load": {"min1": 0.5"#) && all.hasSuffix(#", "help": null}"#))
    }

    @Test func listEntriesCarryTheirKey() {
        let (status, fs) = Self.answer("fs")
        #expect(status == 200)
        #expect(
            fs == """
                [{"device_name": "/dev/vda1", "fs_type": "ext4", "mnt_point": "/", "size": 1000, "used": 250, \
                "free": 700, "percent": 26.3, "key": "mnt_point"}, {"device_name": "/dev/vdb", "fs_type": "xfs", \
                "mnt_point": "/srv/data", "size": 4000, "used": 1000, "free": 3000, "percent": 25.0, "key": "mnt_point"}]
                """)
    }

    @Test func itemsAndValues() {
        #expect(Self.answer("load/min5") == (200, #"{"min5": 0.25}"#))
        #expect(Self.answer("fs/size") == (200, #"{"size": [1000, 4000]}"#))
        #expect(Self.answer("fs/mnt_point/%2Fsrv%2Fdata").1.hasPrefix(#"{"/srv/data": [{"device_name": "/dev/vdb""#))
        // Digits compare as numbers.
        #expect(Self.answer("fs/size/4000.0").1.hasPrefix(#"{"4000.0": [{"device_name": "/dev/vdb""#))
        #expect(Self.answer("load/nope").0 == 404)
        #expect(Self.answer("fs/mnt_point/nowhere").0 == 404)
        #expect(Self.answer("load/min5/").0 == 200, "a trailing slash names the same resource")
    }

    @Test func unknownPluginIs400AndUnknownRouteIs404InEachGenerationsForm() {
        let (status, page) = Self.answer("nope")
        #expect(status == 400)
        #expect(page.contains("<h1>Error: 400 Bad Request</h1>") && page.contains("Unknown plugin nope"))
        #expect(Self.answer("").0 == 404)
        #expect(Self.answer("load/min5/a/b").0 == 404)
        let v2 = GlancesAPI.glances2REST(plugins: ["load", "fs", "help"])
        let v4 = GlancesAPI(number: 4, version: "4.5.8", names: v2.names, allNames: v2.allNames, plugin: v2.plugin)
        #expect(Self.answer("nope", generation: v4).0 == 400)
        #expect(Self.answer("nope", generation: v4).1.hasPrefix(#"{"detail": "Unknown plugin nope"#))
        #expect(Self.answer("status", generation: v4) == (200, #"{"version": "4.5.8"}"#))
        #expect(Self.answer("load/nope", generation: v4) == (404, #"{"detail": "Not Found"}"#))
        // Glances 4's value route takes the rest of the path, slashes included; and its key route.
        #expect(Self.answer("fs/mnt_point/value//", generation: v4).1.hasPrefix(#"{"/": [{"device_name": "/dev/vda1""#))
        #expect(Self.answer("fs/used/%2Fsrv%2Fdata", generation: v4) == (200, #"{"used": 1000}"#))
        #expect(Self.answer("fs/top/1", generation: v4).1.hasPrefix(#"[{"device_name": "/dev/vda1""#))
        #expect(Self.answer("fs/top/1", generation: v4).1.components(separatedBy: "device_name").count == 2)
    }

    @Test func limitsCarryTheConfigurationAndTheHistorySize() {
        #expect(
            Self.answer("load/limits")
                == (200, #"{"load_careful": 0.7, "load_warning": 1.0, "load_critical": 5.0, "history_size": 300.0}"#))
    }

    @Test func configNeverShowsASecret() {
        let (status, config) = Self.answer("config")
        #expect(status == 200)
        #expect(!config.contains("secret") && !config.contains("passwords") && !config.contains("api_token"))
        #expect(config.contains(#""curse_theme": "black""#))
        #expect(Self.answer("config/outputs/api_token").0 == 404)
        // Options are looked up case-insensitively: a secret's name in any case is still refused.
        #expect(Self.answer("config/outputs/API_TOKEN").0 == 404)
        #expect(Self.answer("config/outputs/Api_Token").0 == 404)
        #expect(Self.answer("config/outputs/CURSE_THEME").0 == 200)
        #expect(Self.answer("config/passwords").0 == 404)
        #expect(Self.answer("args/port") == (200, #"{"port": "61209"}"#))
    }

    @Test func historyOfRecentSamples() {
        let history = [
            Self.sample(load: 1.5, epoch: 1_780_000_000), Self.sample(load: 2.5, epoch: 1_780_000_002),
            Self.sample(load: 3.5, epoch: 1_780_000_004),
        ]
        let time = { (epoch: Double) in
            HostInfo.localTimeString(epoch: epoch).split(separator: " ").joined(separator: "T")
        }
        let (status, min1) = Self.answer("load/min1/history/2", history: history)
        #expect(status == 200)
        #expect(
            min1 == #"{"min1": [["\#(time(1_780_000_002))", 2.5], ["\#(time(1_780_000_004))", 3.5]]}"#)
        let (_, fs) = Self.answer("fs/percent/history", history: history)
        #expect(fs.hasPrefix(#"{"/_percent": [["\#(time(1_780_000_000))", 26.3], "#))
        #expect(fs.contains(#""/srv/data_percent": [["#))
        // Only the fields Glances keeps history of.
        #expect(Self.answer("fs/used/history", history: history).0 == 404)
        #expect(!Self.answer("load/history", history: history).1.contains("cpucore"))
        #expect(Self.answer("load/nope/history", history: history).0 == 404)
        #expect(Self.answer("load/history/0", history: history).0 == 404)
    }

    @Test func historyKeepsExactlyThePluginsGlancesKeepsHistoryOf() {
        // What the history routes (and the web page's charts) read must be kept; nothing else is, so that 300
        // samples of history do not hold every plugin's stats (the Prometheus-only files, sensors, …).
        let withFields = Set(GlancesAPI.historyFields3.keys).union(GlancesAPI.historyFields4.keys)
        let kept = Set(PluginRegistry.all.filter { $0.inHistory }.map { $0.name })
        #expect(kept == withFields)
        #expect(withFields.isSubset(of: PluginRegistry.all.map { $0.name }))
        // The history frame of a real sample: for each generation, the fields of those plugins, as rendered.
        let collector = StatsCollector(configuration: GlancesConfig.defaults.pluginConfiguration)
        let sample = collector.sample().sample
        let generations: [GlancesAPI] = [
            .glances2REST(plugins: sample.names), .glances(.v3, plugins: sample.names),
            .glances(.v4, plugins: sample.names),
        ]
        let frame = GlancesAPI.historyFrame(sample, generations: generations, previous: nil)
        for api in generations {
            guard let column = frame.column(api.number) else {
                Issue.record("no column for generation \(api.number)")
                continue
            }
            let plugins = Set(column.series.entries.map(\.plugin))
            #expect(plugins.isSuperset(of: ["cpu", "load", "mem", "processcount", "quicklook"]), "\(plugins)")
            #expect(plugins.isSubset(of: withFields))
            for (index, entry) in column.series.entries.enumerated() {
                #expect(api.historyFields[entry.plugin]?.contains(entry.field) == true, "\(entry)")
                if entry.plugin == "load", let document = api.plugin(sample, "load"),
                    let rendered = JSONNode.parse(document)?[entry.field]
                {
                    #expect(Array(column.value(at: index)) == rendered.bytes)
                }
            }
        }
        // The next frame shares the series lists while they stay the same.
        let next = GlancesAPI.historyFrame(collector.sample().sample, generations: generations, previous: frame)
        for api in generations {
            #expect(next.column(api.number)?.series === frame.column(api.number)?.series)
        }
    }

    @Test func viewsDecorateEveryField() {
        let (status, views) = Self.answer("load/views")
        #expect(status == 200)
        #expect(
            views.hasPrefix(
                #"{"min1": {"decoration": "DEFAULT", "optional": false, "additional": false, "splittable": false, "hidden": false}"#
            ))
        #expect(Self.answer("fs/views").1.hasPrefix(#"{"/": {"device_name": {"decoration": "DEFAULT""#))
    }

    @Test func percentDecoding() {
        #expect(RESTResponder.percentDecoded("%2Fsrv%2fdata") == "/srv/data")
        #expect(RESTResponder.percentDecoded("a%2") == "a%2")
        #expect(RESTResponder.percentDecoded("%zz%41") == "%zzA")
        #expect(RESTResponder.percentDecoded("%FF") == "\u{FFFD}")
    }
}
