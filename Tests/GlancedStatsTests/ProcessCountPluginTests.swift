import Foundation
import GlancedStats
import GlancedTestSupport
import Testing

@Suite struct ProcessCountPluginTests {
    @Test func statesAddUpToTotalAndTotalMatchesProc() throws {
        // The kernel's figures are read just before and just after the sample: processes come and go meanwhile.
        let directoriesBefore = try Self.processDirectories()
        let threadsBefore = Self.threads(of: directoriesBefore)
        let count = try #require(try PluginSampler([ProcessCountPlugin.self]).sample()["processcount"])
        let directoriesAfter = try Self.processDirectories()
        let threadsAfter = Self.threads(of: directoriesAfter)
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
        let processes = [directoriesBefore.count, directoriesAfter.count]
        #expect(total >= processes.min()! - 10 && total <= processes.max()! + 10, "total \(total) vs \(processes)")
        let thread = try #require(count["thread"]?.intValue)
        let threads = [threadsBefore, threadsAfter]
        #expect(thread >= total)
        #expect(thread >= threads.min()! - 50 && thread <= threads.max()! + 50, "thread \(thread) vs \(threads)")
    }

    private static func processDirectories() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }
    }

    /// The threads of the processes `directories` names, from their `/proc/PID/stat`.
    private static func threads(of directories: [String]) -> Int {
        directories.compactMap { pid -> Int? in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            guard let close = stat.lastIndex(of: ")") else { return nil }
            return Int(stat[stat.index(after: close)...].split(separator: " ")[17])
        }.reduce(0, +)
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
