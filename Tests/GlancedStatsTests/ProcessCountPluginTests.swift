import Foundation
import GlancedStats
import GlancedSystem
import GlancedTestSupport
import Testing

@Suite struct ProcessCountPluginTests {
    @Test func statesAddUpToTotalAndTotalMatchesProc() throws {
        // The kernel's figures are read just before and just after the sample: processes come and go meanwhile.
        let directoriesBefore = try Self.processDirectories()
        let threadsBefore = Self.threads(of: directoriesBefore)
        let count = try PluginSampler([ProcessCountPlugin.self]).stats(of: ProcessCountPlugin.self)
        let directoriesAfter = try Self.processDirectories()
        let threadsAfter = Self.threads(of: directoriesAfter)
        let known: Set<String> = [
            "running", "sleeping", "disk-sleep", "stopped", "tracing-stop", "zombie", "dead", "idle", "wake-kill",
            "waking", "parked", "?",
        ]
        let byName = count.states.byName
        for (name, number) in byName {
            #expect(known.contains(name), "state \(name)")
            #expect(number > 0, "only states with a process are named")
        }
        #expect(Set(byName.map(\.name)).count == byName.count, "each state once")
        let total = count.states.total
        #expect(byName.map(\.count).reduce(0, +) == total)
        #expect(count.states[.running] == byName.first { $0.name == "running" }?.count ?? 0)
        #expect(count.states[.sleeping] == byName.first { $0.name == "sleeping" }?.count ?? 0)
        let processes = [directoriesBefore.count, directoriesAfter.count]
        #expect(total >= processes.min()! - 10 && total <= processes.max()! + 10, "total \(total) vs \(processes)")
        let thread = count.threads
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
        let sample = PluginSampler([ProcessCountPlugin.self, ProcessListPlugin.self]).sample()
        let list = try sample.required(ProcessListPlugin.self).table.processes
        let count = try sample.required(ProcessCountPlugin.self)
        #expect(count.states.total == list.count)
        #expect(count.states[.running] == list.filter { $0.state.statusLetter == "R" }.count)
        #expect(count.threads == list.map { Int($0.threads) }.reduce(0, +))
        for (name, number) in count.states.byName {
            #expect(number == list.filter { $0.state.psutilName == name }.count, "\(name)")
        }
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
        let sample = PluginSampler([ProcessCountPlugin.self, ProcessListPlugin.self]).sample()
        let stopped = try sample.required(ProcessCountPlugin.self).states.byName.first { $0.name == "stopped" }
        #expect((stopped?.count ?? 0) >= 1)
        let entry = try sample.required(ProcessListPlugin.self).table.processes.first { $0.pid == child.pid }
        #expect(entry?.state.statusLetter == "T")
        #expect(entry?.state.kernelLetter == UInt8(ascii: "T"))
    }
}
