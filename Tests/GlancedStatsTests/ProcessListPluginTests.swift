import Foundation
import GlancedStats
import GlancedSystem
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
    private func entry(_ list: ProcessListPlugin.Stats, pid: Int) -> ProcessEntry? {
        list.table.processes.first { Int($0.pid) == pid }
    }

    @Test func everyEntryIsAProcessOfTheScanByPid() throws {
        let sampler = PluginSampler([ProcessListPlugin.self])
        let first = try sampler.stats(of: ProcessListPlugin.self)
        #expect(!first.table.processes.isEmpty, "never empty, not even on the first sample")
        #expect(first.table.interval == nil, "no interval on the first sample (written as the int 1)")
        #expect(first.table.processes.allSatisfy { $0.cpuPercent == 0 && $0.previousIO == .zero }, "nothing before")
        usleep(200_000)
        let list = try sampler.stats(of: ProcessListPlugin.self)
        let pids = list.table.processes.map(\.pid)
        #expect(pids == pids.sorted() && Set(pids).count == pids.count, "one entry per process, by pid")
        #expect(pids.contains(getpid()))
        for process in list.table.processes {
            let status = process.state.statusLetter
            #expect(status.count == 1 && "RSDZTIXWP?".contains(status), "status \(status)")
            #expect(process.nice >= -20 && process.nice <= 19, "nice \(process.nice)")
            #expect(!process.name.isEmpty && !process.userName.isEmpty, "pid \(process.pid)")
            #expect(process.cpuPercent >= 0)
            #expect(process.memoryPercent >= 0 && process.memoryPercent <= 100)
            #expect(process.userSeconds >= 0 && process.systemSeconds >= 0)
            if process.io == nil { #expect(process.previousIO == .zero, "denied io has no previous counters") }
        }
        let since = try #require(list.table.interval)
        #expect(since > 0.1 && since < 30)
    }

    @Test func theTestProcessIsListedWithItsCmdlineAndUser() throws {
        let list = try PluginSampler([ProcessListPlugin.self]).stats(of: ProcessListPlugin.self)
        let me = try #require(entry(list, pid: Int(getpid())))
        let cmdline = ProcessInfo.processInfo.arguments.joined(separator: " ")
        #expect(me.cmdline == cmdline)
        let user = getpwuid(geteuid()).flatMap { $0.pointee.pw_name }.map { String(cString: $0) }
        #expect(me.userName == user)
        #expect(me.userID == geteuid())
        let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(me.name == comm)
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let vms = (Int(statm[0]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
        let reported = Int(me.virtualBytes)
        #expect(abs(reported - vms) < 256 << 20, "vms \(reported) vs \(vms)")
        #expect(me.parentPID == getppid())
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
        let first = try sampler.stats(of: ProcessListPlugin.self)
        let ticksInnerBefore = ticks(of: child.jsonPID)
        let seen = try #require(entry(first, pid: child.jsonPID))
        #expect(seen.cpuPercent == 0, "0.0 when first seen")
        usleep(800_000)
        let ticksInnerAfter = ticks(of: child.jsonPID)
        let second = try sampler.stats(of: ProcessListPlugin.self)
        let ticksAfter = ticks(of: child.jsonPID)
        let busy = try #require(entry(second, pid: child.jsonPID))
        // psutil shows cpu_percent to 0.1, as the renderer writes it.
        let percent = (busy.cpuPercent * 10).rounded() / 10
        let interval = try #require(second.table.interval)
        // The kernel's counts read just inside and just outside the two samples bound what we report,
        // however much CPU a loaded machine gave the loop.
        let reported = percent / 100 * interval
        let atMost = Double(ticksAfter - ticksBefore) / 100
        let atLeast = Double(ticksInnerAfter - ticksInnerBefore) / 100
        #expect(atLeast > 0, "the loop ran between the samples")
        #expect(reported <= atMost + 0.03, "\(percent) % over \(interval) s, at most \(atMost) s used")
        #expect(reported >= atLeast - 0.03, "\(percent) % over \(interval) s, at least \(atLeast) s used")
        #expect(busy.userSeconds + busy.systemSeconds >= reported - 0.05)
        // The process's own ticks, read by the scan, lie between the independent reads around it.
        let scanned = Int(busy.userTicks + busy.systemTicks)
        #expect(scanned >= ticksInnerAfter && scanned <= ticksAfter, "\(scanned) ticks")
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
        let list = try PluginSampler([ProcessListPlugin.self]).stats(of: ProcessListPlugin.self)
        let process = try #require(entry(list, pid: child.jsonPID))
        let rss = Int(process.residentBytes)
        #expect(rss >= 190 << 20)
        let total = Double((ProcReads.meminfoKiB("MemTotal") ?? 1) * 1024)
        #expect(abs(process.memoryPercent - Double(rss) * 100 / total) < 0.01)
    }

    @Test func aChildThatExitsBetweenSamplesDisappears() throws {
        let sampler = PluginSampler([ProcessListPlugin.self])
        let child = try TestChild(["sleep", "1000"])
        #expect(
            waitFor {
                (try? sampler.stats(of: ProcessListPlugin.self)).flatMap { entry($0, pid: child.jsonPID) }?.cmdline
                    == "sleep 1000"
            })
        child.stop()
        let list = try sampler.stats(of: ProcessListPlugin.self)
        #expect(entry(list, pid: child.jsonPID) == nil)
        #expect(!list.table.processes.isEmpty)
    }

    @Test func aZombieIsListedWithoutCmdline() throws {
        let child = try TestChild(["sh", "-c", "exit 0"])
        defer { child.stop() }
        #expect(
            waitFor {
                let stat = (try? String(contentsOfFile: "/proc/\(child.jsonPID)/stat", encoding: .utf8)) ?? ""
                return stat.contains(") Z ")
            })
        let sample = PluginSampler([ProcessListPlugin.self, ProcessCountPlugin.self]).sample()
        let zombie = try #require(entry(try sample.required(ProcessListPlugin.self), pid: child.jsonPID))
        #expect(zombie.state.statusLetter == "Z")
        #expect(zombie.cmdline == "")
        #expect(zombie.name == "sh")
        #expect(zombie.parentPID == getpid())
        #expect(try sample.required(ProcessCountPlugin.self).states[.zombie] >= 1)
    }

    @Test func ioPreviousCountersAreThoseOfThePreviousSample() throws {
        let sampler = PluginSampler([ProcessListPlugin.self])
        let first = try #require(entry(try sampler.stats(of: ProcessListPlugin.self), pid: Int(getpid())))
        // Write and sync a little so that write_bytes moves.
        let path = FileManager.default.currentDirectoryPath + "/.glanced-io-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let block = [UInt8](repeating: 7, count: 1 << 20)
        _ = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        let second = try #require(entry(try sampler.stats(of: ProcessListPlugin.self), pid: Int(getpid())))
        let before = try #require(first.io, "our own /proc/self/io is readable")
        let after = try #require(second.io)
        #expect(first.previousIO == .zero, "nothing before the first sample")
        #expect(second.previousIO == before)
        #expect(after.writeBytes >= before.writeBytes)
    }
}
