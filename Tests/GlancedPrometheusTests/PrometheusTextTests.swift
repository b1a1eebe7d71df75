import GlancedPrometheus
import GlancedStats
import GlancedSystem
import Testing

@Suite struct PrometheusTextTests {
    /// One real sample of every plugin, rendered.
    static func render() -> (Sample, String) {
        let collector = StatsCollector(configuration: PluginConfiguration())
        let sample = collector.sample().sample
        return (sample, String(decoding: PrometheusText.render(sample, options: .init(version: "9.9")), as: UTF8.self))
    }

    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func hiddenPluginsAreInTheSampleButNotGlancesNames() {
        let collector = StatsCollector(configuration: PluginConfiguration())
        for generation in GlancesGeneration.allCases {
            let names = PluginRegistry.names(in: generation)
            #expect(!names.contains("node") && !names.contains("prometheus"), "\(generation)")
        }
        #expect(collector.names.contains("node"), "the sample has it")
        let sample = collector.sample().sample
        #expect(sample.stats(of: NodePlugin.self) != nil)
        let all = String(decoding: Glances2JSON.all(sample), as: UTF8.self)
        #expect(!all.contains("\"node\"") && !all.contains("\"prometheus\""))
    }

    @Test func totalsEqualTheKernelFiles() throws {
        let (_, text) = Self.render()
        var reader = ProcFileReader()
        let meminfoText = reader.readString("/proc/meminfo")
        let meminfo = try #require(meminfoText)
        let memTotalLine = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let kib = try #require(Double(memTotalLine.split(separator: " ")[1]))
        #expect(Self.value(text, "node_memory_MemTotal_bytes") == kib * 1024)
        let statText = reader.readString("/proc/stat")
        let stat = try #require(statText)
        let btime = try #require(stat.split(separator: "\n").first { $0.hasPrefix("btime ") })
        #expect(Self.value(text, "node_boot_time_seconds") == Double(btime.dropFirst(6)))
        let cpus = stat.split(separator: "\n").filter { $0.hasPrefix("cpu") && !$0.hasPrefix("cpu ") }.count
        let idleSeries = text.split(separator: "\n").filter {
            $0.hasPrefix("node_cpu_seconds_total{") && $0.contains("mode=\"idle\"")
        }
        #expect(idleSeries.count == cpus)
        #expect(text.contains("node_uname_info{domainname="))
        #expect(text.contains("glanced_build_info{version=\"9.9\"} 1\n"))
        #expect(text.hasSuffix("\n"))
    }

    @Test func diskExclusionsAreNodeExportersDefaults() {
        for excluded in ["sda1", "vda2", "xvdb3", "nvme0n1p1", "loop0", "ram1", "zram0", "fd0", "hdc7"] {
            #expect(PrometheusText.excludesDisk(excluded), "\(excluded)")
        }
        for kept in ["sda", "vda", "nvme0n1", "dm-0", "md127", "mmcblk0", "mmcblk0p1", "sr0", "sdaa1"] {
            #expect(!PrometheusText.excludesDisk(kept), "\(kept)")
        }
    }

    @Test func meminfoNamesFollowNodeExporter() {
        #expect(
            PrometheusText.meminfoName(KernelFigure(key: "Active(anon)", value: 1, kibibytes: true))
                == "node_memory_Active_anon_bytes")
        #expect(
            PrometheusText.meminfoName(KernelFigure(key: "HugePages_Total", value: 0)) == "node_memory_HugePages_Total")
    }
}
