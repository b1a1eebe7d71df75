import Foundation
import GlancedStats
import GlancedTestSupport
import Testing

/// Polls `condition` every 50 ms for at most `timeout` seconds.
func waitFor(timeout: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}

@Suite struct ProcessListPluginTests {
    private func entry(_ list: JSONValue?, pid: Int) -> JSONValue? {
        list?.items.first { $0["pid"]?.intValue == pid }
    }

    @Test func everyEntryHasTheGlancesKeysAndTypes() throws {
        let sampler = PluginSampler([ProcessListPlugin.self])
        let first = try #require(try sampler.sample()["processlist"])
        #expect(!first.items.isEmpty, "never empty, not even on the first sample")
        #expect(first.items.allSatisfy { $0["time_since_update"] == .int(1) }, "the int 1 on the first sample")
        usleep(200_000)
        let list = try #require(try sampler.sample()["processlist"])
        let pids = list.items.compactMap { $0["pid"]?.intValue }
        #expect(pids.count == list.items.count)
        #expect(pids == pids.sorted() && Set(pids).count == pids.count, "one entry per process, by pid")
        for process in list.items {
            #expect(
                process.keys == [
                    "pid", "name", "username", "cmdline", "status", "nice", "memory_info", "memory_percent",
                    "cpu_times", "cpu_percent", "io_counters", "time_since_update",
                ])
            #expect(process["name"]?.stringValue != nil && process["username"]?.stringValue != nil)
            #expect(process["cmdline"]?.stringValue != nil)
            let status = try #require(process["status"]?.stringValue)
            #expect(status.count == 1 && "RSDZTIXWP?".contains(status), "status \(status)")
            #expect(process["nice"]?.intValue != nil)
            let memory = process["memory_info"]?.items ?? []
            #expect(memory.count == 2 && memory.allSatisfy { $0.intValue != nil })
            #expect(process["memory_percent"]?.doubleValue != nil)
            let times = process["cpu_times"]?.items ?? []
            #expect(times.count == 2 && times.allSatisfy { $0.doubleValue != nil })
            #expect((process["cpu_percent"]?.doubleValue ?? -1) >= 0)
            let io = process["io_counters"]?.items.compactMap(\.intValue) ?? []
            #expect(io.count == 5)
            if io.last == 0 { #expect(io == [0, 0, 0, 0, 0], "denied io is all zero") }
            let since = try #require(process["time_since_update"]?.doubleValue)
            #expect(since > 0.1 && since < 30)
        }
    }

    @Test func theTestProcessIsListedWithItsCmdlineAndUser() throws {
        let list = try #require(try PluginSampler([ProcessListPlugin.self]).sample()["processlist"])
        let me = try #require(entry(list, pid: Int(getpid())))
        let cmdline = ProcessInfo.processInfo.arguments.joined(separator: " ")
        #expect(me["cmdline"]?.stringValue == cmdline)
        let user = getpwuid(geteuid()).flatMap { $0.pointee.pw_name }.map { String(cString: $0) }
        #expect(me["username"]?.stringValue == user)
        let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(me["name"]?.stringValue == comm)
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let vms = (Int(statm[0]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
        let reported = me["memory_info"]?[1]?.intValue ?? 0
        #expect(abs(reported - vms) < 256 << 20, "vms \(reported) vs \(vms)")
    }

    @Test func aBusyChildShowsTheCPUTheKernelCounts() throws {
        // In its own session, whose scheduler autogroup gets the highest priority when we may (root),
        // so that a loaded machine still gives the loop most of a CPU.
        let child = try TestChild(
            [
                "sh", "-c",
                "echo -20 > /proc/$$/autogroup 2>/dev/null; renice -n -20 $$ >/dev/null 2>&1; while :; do :; done",
            ],
            newSession: true)
        defer { child.stop() }
        #expect(waitFor { ticks(of: child.jsonPID) > 0 }, "the loop runs")
        let sampler = PluginSampler([ProcessListPlugin.self])
        let ticksBefore = ticks(of: child.jsonPID)
        let first = try sampler.sample()["processlist"]
        let ticksInnerBefore = ticks(of: child.jsonPID)
        #expect(entry(first, pid: child.jsonPID)?["cpu_percent"] == .double(0), "0.0 when first seen")
        usleep(800_000)
        let ticksInnerAfter = ticks(of: child.jsonPID)
        let second = try sampler.sample()["processlist"]
        let ticksAfter = ticks(of: child.jsonPID)
        let busy = try #require(entry(second, pid: child.jsonPID))
        let percent = try #require(busy["cpu_percent"]?.doubleValue)
        let interval = try #require(busy["time_since_update"]?.doubleValue)
        // The kernel's counts read just inside and just outside the two samples bound what we report,
        // however much CPU a loaded machine gave the loop.
        let reported = percent / 100 * interval
        let atMost = Double(ticksAfter - ticksBefore) / 100
        let atLeast = Double(ticksInnerAfter - ticksInnerBefore) / 100
        #expect(atLeast > 0, "the loop ran between the samples")
        #expect(reported <= atMost + 0.03, "\(percent) % over \(interval) s, at most \(atMost) s used")
        #expect(reported >= atLeast - 0.03, "\(percent) % over \(interval) s, at least \(atLeast) s used")
        let times = busy["cpu_times"]?.items.compactMap(\.doubleValue) ?? []
        #expect(times.count == 2 && times.reduce(0, +) >= reported - 0.05)
    }

    /// utime + stime of `pid`, clock ticks, from an independent read of `/proc/PID/stat`.
    private func ticks(of pid: Int) -> Int {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    @Test func aChildHolding200MBShowsItsResidentMemory() throws {
        let child = try TestChild.python("import time\nb = b'x' * (200 << 20)\ntime.sleep(60)")
        defer { child.stop() }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let ready = waitFor {
            let statm = (try? String(contentsOfFile: "/proc/\(child.jsonPID)/statm", encoding: .utf8)) ?? ""
            return (Int(statm.split(separator: " ").dropFirst().first ?? "") ?? 0) * page >= 200 << 20
        }
        #expect(ready)
        let process = try #require(
            entry(try PluginSampler([ProcessListPlugin.self]).sample()["processlist"], pid: child.jsonPID))
        let rss = try #require(process["memory_info"]?[0]?.intValue)
        #expect(rss >= 190 << 20)
        let total = Double((ProcReads.meminfoKiB("MemTotal") ?? 1) * 1024)
        let percent = try #require(process["memory_percent"]?.doubleValue)
        #expect(abs(percent - Double(rss) * 100 / total) < 0.01)
    }

    @Test func aChildThatExitsBetweenSamplesDisappears() throws {
        let sampler = PluginSampler([ProcessListPlugin.self])
        let child = try TestChild(["sleep", "1000"])
        #expect(
            waitFor {
                (try? entry(sampler.sample()["processlist"], pid: child.jsonPID)?["cmdline"]) == .string("sleep 1000")
            })
        child.stop()
        let list = try #require(try sampler.sample()["processlist"])
        #expect(entry(list, pid: child.jsonPID) == nil)
        #expect(!list.items.isEmpty)
    }

    @Test func aZombieIsListedWithoutCmdline() throws {
        let child = try TestChild(["sh", "-c", "exit 0"])
        defer { child.stop() }
        #expect(
            waitFor {
                let stat = (try? String(contentsOfFile: "/proc/\(child.jsonPID)/stat", encoding: .utf8)) ?? ""
                return stat.contains(") Z ")
            })
        let sample = try PluginSampler([ProcessListPlugin.self, ProcessCountPlugin.self]).sample()
        let zombie = try #require(entry(sample["processlist"], pid: child.jsonPID))
        #expect(zombie["status"] == .string("Z"))
        #expect(zombie["cmdline"] == .string(""))
        #expect(zombie["name"] == .string("sh"))
        #expect((sample["processcount"]?["zombie"]?.intValue ?? 0) >= 1)
    }

    @Test func ioPreviousCountersAreThoseOfThePreviousSample() throws {
        let sampler = PluginSampler([ProcessListPlugin.self])
        let first = try #require(entry(try sampler.sample()["processlist"], pid: Int(getpid())))
        // Write and sync a little so that write_bytes moves.
        let path = FileManager.default.currentDirectoryPath + "/.glanced-io-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let block = [UInt8](repeating: 7, count: 1 << 20)
        _ = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        let second = try #require(entry(try sampler.sample()["processlist"], pid: Int(getpid())))
        let before = first["io_counters"]?.items.compactMap(\.intValue) ?? []
        let after = second["io_counters"]?.items.compactMap(\.intValue) ?? []
        #expect(before.count == 5 && after.count == 5)
        #expect(Array(before[2...3]) == [0, 0], "nothing before the first sample")
        #expect(after[2] == before[0] && after[3] == before[1])
        #expect(after[4] == 1 && after[1] >= before[1])
    }
}
