import Foundation
import GlancedStats
import GlancedTestSupport
import Testing

@Suite struct ProcessCountPluginTests {
    @Test func statesAddUpToTotalAndTotalMatchesProc() throws {
        let count = try #require(try PluginSampler([ProcessCountPlugin.self]).sample()["processcount"])
        #expect(Array(count.keys.prefix(4)) == ["total", "running", "sleeping", "thread"])
        let known: Set<String> = [
            "running", "sleeping", "disk-sleep", "stopped", "tracing-stop", "zombie", "dead", "idle", "wake-kill",
            "waking", "parked", "?",
        ]
        var states = 0
        for key in count.keys where key != "total" && key != "thread" {
            #expect(known.contains(key), "state \(key)")
            let value = try #require(count[key]?.intValue, "\(key) is an int")
            states += value
        }
        let total = try #require(count["total"]?.intValue)
        #expect(states == total)
        let directories = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }
        #expect(abs(total - directories.count) <= 10)
        let threads = directories.compactMap { pid -> Int? in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            guard let close = stat.lastIndex(of: ")") else { return nil }
            return Int(stat[stat.index(after: close)...].split(separator: " ")[17])
        }.reduce(0, +)
        let thread = try #require(count["thread"]?.intValue)
        #expect(thread >= total && abs(thread - threads) <= 50, "thread \(thread) vs \(threads)")
    }

    @Test func listAndCountComeFromTheSameScan() throws {
        let sample = try PluginSampler([ProcessCountPlugin.self, ProcessListPlugin.self]).sample()
        let list = try #require(sample["processlist"])
        let count = try #require(sample["processcount"])
        #expect(count["total"]?.intValue == list.items.count)
        let running = list.items.filter { $0["status"] == .string("R") }.count
        #expect(count["running"]?.intValue == running)
    }

    @Test func aStoppedChildIsCountedAsStopped() throws {
        let child = try TestChild(["sleep", "1000"])
        defer { child.stop() }
        kill(child.pid, SIGSTOP)
        #expect(
            waitFor {
                let stat = (try? String(contentsOfFile: "/proc/\(child.jsonPID)/stat", encoding: .utf8)) ?? ""
                return stat.contains(") T ")
            })
        let sample = try PluginSampler([ProcessCountPlugin.self, ProcessListPlugin.self]).sample()
        #expect((sample["processcount"]?["stopped"]?.intValue ?? 0) >= 1)
        let entry = sample["processlist"]?.items.first { $0["pid"]?.intValue == child.jsonPID }
        #expect(entry?["status"] == .string("T"))
    }
}
