import Foundation
import GlancedStats
import GlancedSystem
import GlancedTestSupport
import Testing

/// Independent reads of `/proc` figures the host plugins show.
private enum Kernel {
    /// Every `/proc/meminfo` value, in bytes.
    static func meminfo() -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in ProcReads.text("/proc/meminfo").split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let kib = UInt64(parts[1]) else { continue }
            values[String(parts[0].dropLast())] = kib * 1024
        }
        return values
    }

    /// A `/proc/vmstat` counter.
    static func vmstat(_ key: String) -> UInt64 {
        for line in ProcReads.text("/proc/vmstat").split(separator: "\n") where line.hasPrefix(key + " ") {
            return UInt64(line.split(separator: " ")[1]) ?? 0
        }
        return 0
    }

    /// The numbers of the `/proc/stat` line that starts with `key` and a space.
    static func stat(_ key: String) -> [UInt64] {
        for line in ProcReads.text("/proc/stat").split(separator: "\n") where line.hasPrefix(key + " ") {
            return line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        }
        return []
    }
}

/// Whether `value` lies between the two readings `bounds`, widened by `slack` on each side.
private func within(_ value: UInt64, _ bounds: [UInt64?], slack: Double) -> Bool {
    let bounds = bounds.map { Double($0 ?? 0) }
    return Double(value) >= bounds.min()! - slack && Double(value) <= bounds.max()! + slack
}

@Suite struct HostPluginsTests {
    @Test func memTotalIsMemTotalAndDerivedFieldsFollowGlances() throws {
        // /proc/meminfo is read just before and just after the sample: it moves meanwhile.
        let before = Kernel.meminfo()
        let mem = try PluginSampler([MemPlugin.self]).stats(of: MemPlugin.self)
        let after = Kernel.meminfo()
        let memory = mem.memory
        #expect(memory.total == before["MemTotal"])
        let bounds = [before["MemAvailable"], after["MemAvailable"]].map { Double($0 ?? 0) }
        #expect(
            Double(memory.available) >= bounds.min()! * 0.95 && Double(memory.available) <= bounds.max()! * 1.05,
            "available \(memory.available) vs \(bounds)")
        #expect(mem.used == memory.total - memory.available)
        let expected = (Double(memory.total - memory.available) * 100 / Double(memory.total) * 10).rounded() / 10
        #expect(abs(mem.percent - expected) < 0.001)
        // The page cache moves fastest while other builds run: 5 % or 16 MiB of slack, whichever is more.
        func slack(_ key: String) -> Double { max(Double(after[key] ?? 0) * 0.05, Double(16 << 20)) }
        for (value, key) in [(memory.active, "Active"), (memory.inactive, "Inactive"), (memory.buffers, "Buffers")] {
            #expect(within(value, [before[key], after[key]], slack: slack(key)), "\(key) \(value)")
        }
        let cached = [before, after].map { ($0["Cached"] ?? 0) + ($0["SReclaimable"] ?? 0) }
        #expect(within(memory.cached, cached, slack: slack("Cached")), "cached \(memory.cached) vs \(cached)")
    }

    @Test func memswapMatchesMeminfo() throws {
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        let before = (Kernel.meminfo(), Kernel.vmstat("pswpin") * page, Kernel.vmstat("pswpout") * page)
        let swap = try PluginSampler([MemSwapPlugin.self]).stats(of: MemSwapPlugin.self)
        let after = (Kernel.meminfo(), Kernel.vmstat("pswpin") * page, Kernel.vmstat("pswpout") * page)
        let memory = swap.memory
        #expect(memory.swapTotal == before.0["SwapTotal"])
        #expect(within(memory.swapFree, [before.0["SwapFree"], after.0["SwapFree"]], slack: Double(16 << 20)))
        #expect(swap.used + memory.swapFree == memory.swapTotal)
        let expected =
            memory.swapTotal == 0 ? 0 : (Double(swap.used) * 100 / Double(memory.swapTotal) * 10).rounded() / 10
        #expect(abs(swap.percent - expected) < 0.001)
        #expect(within(memory.swappedIn, [before.1, after.1], slack: 0), "sin \(memory.swappedIn)")
        #expect(within(memory.swappedOut, [before.2, after.2], slack: 0), "sout \(memory.swappedOut)")
    }

    @Test func coreCountsMatchTheKernel() throws {
        let core = try PluginSampler([CorePlugin.self]).stats(of: CorePlugin.self)
        #expect(core.logical == ProcReads.cpuLines())
        #expect(core.physical >= 1 && core.physical <= ProcReads.cpuLines())
    }

    @Test func loadIsTheKernelsLoadAverage() throws {
        let before = ProcReads.loadavg()
        let load = try PluginSampler([LoadPlugin.self]).stats(of: LoadPlugin.self)
        let after = ProcReads.loadavg()
        for (index, value) in [load.one, load.five, load.fifteen].enumerated() {
            #expect(
                value >= min(before[index], after[index]) - 0.01 && value <= max(before[index], after[index]) + 0.01,
                "average \(index): \(value) vs \(before[index]), \(after[index])")
        }
        #expect(load.cores == ProcReads.cpuLines())
    }

    @Test func cpuModesSumToAHundredAndCountersFollowProcStat() throws {
        let sampler = PluginSampler([CPUPlugin.self, PerCPUPlugin.self])
        let first = sampler.sample()
        let firstCPU = try first.required(CPUPlugin.self)
        #expect(firstCPU.interval == nil, "no interval on the first sample (written as the int 1)")
        #expect(firstCPU.contextSwitchesDelta == 0 && firstCPU.interruptsDelta == 0)
        // Burn a little CPU between the samples so that ticks pass.
        let deadline = Date().addingTimeInterval(0.3)
        var spin = 0
        while Date() < deadline { spin &+= 1 }
        // /proc/stat is read just before and just after the second sample: its counters bound the plugin's.
        let ticksBefore = Kernel.stat("cpu")
        let contextBefore = Kernel.stat("ctxt").first
        let second = sampler.sample()
        let ticksAfter = Kernel.stat("cpu")
        let contextAfter = Kernel.stat("ctxt").first
        let cpu = try second.required(CPUPlugin.self)
        let split = cpu.split
        let modes = [
            split.user, split.system, split.idle, split.nice, split.iowait, split.irq, split.softirq, split.steal,
        ]
        #expect(abs(modes.reduce(0, +) - 100) <= 2, "\(modes)")
        #expect(cpu.contextSwitchesDelta > 0, "context switches happened in 0.3 s")
        #expect(within(cpu.contextSwitches, [contextBefore, contextAfter], slack: 0))
        #expect(cpu.contextSwitchesDelta == cpu.contextSwitches - firstCPU.contextSwitches)
        #expect(cpu.interruptsDelta == cpu.interrupts - firstCPU.interrupts)
        #expect(cpu.softInterruptsDelta == cpu.softInterrupts - firstCPU.softInterrupts)
        #expect(within(cpu.ticks.user, [ticksBefore.first, ticksAfter.first], slack: 0))
        #expect(within(cpu.ticks.idle, [ticksBefore.dropFirst(3).first, ticksAfter.dropFirst(3).first], slack: 0))
        // The split is of the ticks between the two samples, to 0.1.
        let elapsed = Double(cpu.ticks.total - firstCPU.ticks.total)
        #expect(elapsed > 0)
        let shares: [(Double, KeyPath<CPUTicks, UInt64>)] = [
            (split.user, \.user), (split.system, \.system), (split.idle, \.idle),
        ]
        for (share, path) in shares {
            let ticks = Double(cpu.ticks[keyPath: path] - firstCPU.ticks[keyPath: path])
            #expect(abs(share - ticks * 100 / elapsed) <= 0.051, "\(path): \(share) %")
        }
        let interval = try #require(cpu.interval)
        #expect(interval > 0.25 && interval < 5)
        #expect(cpu.cores == ProcReads.cpuLines())

        let percpu = try second.required(PerCPUPlugin.self).cpus
        #expect(percpu.count == ProcReads.cpuLines())
        for (number, entry) in percpu.enumerated() {
            #expect(entry.number == number)
            let split = entry.split
            let total = [split.user, split.system, split.idle, split.nice, split.iowait, split.irq, split.softirq]
                .reduce(split.steal, +)
            #expect(abs(total - 100) <= 2)
        }
    }

    @Test func systemDescribesThisMachine() throws {
        let system = try PluginSampler([SystemPlugin.self]).stats(of: SystemPlugin.self)
        #expect(system.hostname == ProcReads.text("/proc/sys/kernel/hostname").trimmingCharacters(in: .newlines))
        #expect(system.kernelRelease == ProcReads.text("/proc/sys/kernel/osrelease").trimmingCharacters(in: .newlines))
        #expect(system.platform == "64bit")
        var fields: [String: String] = [:]
        for line in ProcReads.text("/etc/os-release").split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 {
                fields[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        let distro = [fields["NAME"], fields["VERSION_ID"]].compactMap { $0 }.joined(separator: " ")
        #expect(system.distribution == distro)
        #expect(system.humanName == distro + " 64bit")
    }

    @Test func uptimeIsTheKernelsUptime() throws {
        let before = ProcReads.uptime()
        let uptime = try PluginSampler([UptimePlugin.self]).stats(of: UptimePlugin.self)
        let after = ProcReads.uptime()
        // /proc/uptime has two decimals.
        #expect(uptime.seconds >= before - 0.01 && uptime.seconds <= after + 0.02, "\(uptime.seconds) vs \(before)")
    }

    @Test(arguments: [
        (0, "0:00:00"), (369, "0:06:09"), (86_400, "1 day, 0:00:00"), (93_784, "1 day, 2:03:04"),
        (8 * 86_400 + 20 * 3600 + 51 * 60 + 7, "8 days, 20:51:07"),
    ])
    func uptimeFormat(seconds: Int, text: String) {
        #expect(UptimePlugin.format(seconds: seconds) == text)
    }

    @Test func nowIsLocalTime() throws {
        let now = try PluginSampler([NowPlugin.self]).stats(of: NowPlugin.self)
        #expect(abs(now.epoch - Date().timeIntervalSince1970) < 5)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone.current
        formatter.locale = Locale(identifier: "en_US_POSIX")
        #expect(now.text == formatter.string(from: Date(timeIntervalSince1970: now.epoch.rounded(.down))))
        let date = try #require(formatter.date(from: now.text))
        #expect(abs(date.timeIntervalSinceNow) < 5)
    }

    @Test func psutilVersionIsTheLibproc2Version() throws {
        let version = try PluginSampler([PsutilVersionPlugin.self]).stats(of: PsutilVersionPlugin.self)
        let expected = ProcReads.run(["pkg-config", "--modversion", "libproc2"]).split(separator: ".").compactMap {
            Int($0)
        }
        #expect(!expected.isEmpty)
        #expect(version.version == expected)
    }

    @Test func helpIsNull() throws {
        let snapshot = PluginSampler([HelpPlugin.self]).collector.sample()
        _ = try snapshot.sample.required(HelpPlugin.self)
        #expect(snapshot.document(for: "help") == Array("null".utf8))
    }
}
