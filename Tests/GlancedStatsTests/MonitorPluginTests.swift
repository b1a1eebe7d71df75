import Foundation
import GlancedStats
import GlancedSystem
import Testing

@Suite struct MonitorPluginTests {
    static func configuration(_ options: [String: String]) -> PluginConfiguration {
        PluginConfiguration(sections: [
            "monitor": ConfigSection(options.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: $0.value) })
        ])
    }

    @Test func countsMatchingProcessesUntilTheyExit() throws {
        let marker = "glanced-monitor-\(UUID().uuidString.prefix(8))"
        let child = Process()
        // One process whose own cmdline carries the marker (no shell, so no second process shares it).
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["python3", "-c", "import time; time.sleep(60)", marker]
        try child.run()
        defer { if child.isRunning { child.terminate() } }
        // Until env has exec'd python3 and python3's arguments are in place (a scan inside the exec would read
        // an empty cmdline).
        let pid = child.processIdentifier
        let deadline = Date().addingTimeInterval(20)
        func execDone() -> Bool {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
            return comm.hasPrefix("python3") && String(decoding: cmdline, as: UTF8.self).contains(marker)
        }
        while !execDone() && Date() < deadline { usleep(20_000) }
        #expect(execDone())

        let sampler = PluginSampler(
            [MonitorPlugin.self],
            configuration: Self.configuration([
                "list_1_description": "Marker", "list_1_regex": ".*\(marker).*",
                "list_3_description": "Nothing", "list_3_regex": "no-such-process-\(marker)x",
                "list_3_countmin": "1",
                "list_4_description": "No regex",
            ]))
        let first = try sampler.stats(of: MonitorPlugin.self).groups
        #expect(first.count == 2, "entries 1 and 3; 4 has no regex")
        #expect(first.map(\.description) == ["Marker", "Nothing"])
        #expect(first[0].regex == ".*\(marker).*")
        #expect(first[0].count == 1)
        #expect(first[0].command == nil)
        #expect(first[0].countMin == nil && first[0].countMax == nil)
        #expect(first[0].memoryPercent > 0, "python3 holds some memory")
        #expect(first[0].cpuPercent >= 0)
        let result = first[0].result
        #expect(result.wholeMatch(of: /CPU: \d+\.\d% \| MEM: \d+\.\d%/) != nil, "\(result)")
        #expect(
            result
                == "CPU: \(MonitorPlugin.oneDecimal(first[0].cpuPercent))% | MEM: \(MonitorPlugin.oneDecimal(first[0].memoryPercent))%"
        )
        #expect(first[1].count == 0)
        #expect(first[1].countMin == "1")
        #expect(first[1].cpuPercent == 0 && first[1].memoryPercent == 0)

        child.terminate()
        child.waitUntilExit()
        let second = try sampler.stats(of: MonitorPlugin.self).groups
        #expect(second[0].count == 0)
        #expect(second[0].result == "CPU: 0.0% | MEM: 0.0%")
    }

    @Test func commandsRunInTheBackgroundAndAHangingOneNeverDelaysASample() async throws {
        let sampler = PluginSampler(
            [MonitorPlugin.self],
            configuration: Self.configuration([
                "list_1_description": "Echo", "list_1_regex": ".*", "list_1_command": "echo hello",
                "list_2_description": "Hang", "list_2_regex": ".*", "list_2_command": "sleep 60",
            ]))
        let start = Date()
        _ = sampler.sample()
        #expect(Date().timeIntervalSince(start) < 2, "the sample did not wait for the commands")
        var groups: [MonitorPlugin.Group] = []
        for _ in 0..<50 {
            try await Task.sleep(for: .milliseconds(100))
            groups = try sampler.stats(of: MonitorPlugin.self).groups
            if groups.first?.result == "hello\n" { break }
        }
        #expect(groups.first?.result == "hello\n")
        #expect(groups.first?.command == "echo hello")
        #expect(groups.last?.command == "sleep 60")
        #expect((groups.first?.count ?? 0) > 1, "'.*' matches every process")
        // The hanging command's result is "" until its 5 s are up; then it is killed and says so.
        for _ in 0..<100 where groups.last?.result == "" {
            try await Task.sleep(for: .milliseconds(100))
            groups = try sampler.stats(of: MonitorPlugin.self).groups
        }
        #expect(groups.last?.result == "Timeout: sleep 60")
    }

    @Test(arguments: [
        (0.0, "0.0"), (1.25, "1.3"), (12.34, "12.3"), (99.96, "100.0"), (0.04, "0.0"), (-0.5, "-0.5"),
        (-12.34, "-12.3"), (Double.nan, "0.0"), (Double.infinity, "0.0"), (1e300, "0.0"),
    ])
    func oneDecimal(value: Double, text: String) {
        #expect(MonitorPlugin.oneDecimal(value) == text)
    }
}
