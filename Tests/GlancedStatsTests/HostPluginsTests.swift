import Foundation
import GlancedStats
import GlancedTestSupport
import Testing

@Suite struct HostPluginsTests {
    @Test func memTotalIsMemTotalAndDerivedFieldsFollowGlances() throws {
        // MemAvailable is read just before and just after the sample: it moves meanwhile.
        let availableBefore = Double((ProcReads.meminfoKiB("MemAvailable") ?? 0) * 1024)
        let stats = try PluginSampler([MemPlugin.self]).sample()
        let availableAfter = Double((ProcReads.meminfoKiB("MemAvailable") ?? 0) * 1024)
        let mem = try #require(stats["mem"])
        let total = try #require(mem["total"]?.intValue)
        #expect(UInt64(total) == (ProcReads.meminfoKiB("MemTotal") ?? 0) * 1024)
        let available = try #require(mem["available"]?.intValue)
        let bounds = [availableBefore, availableAfter]
        #expect(
            Double(available) >= bounds.min()! * 0.95 && Double(available) <= bounds.max()! * 1.05,
            "available \(available) vs \(bounds)")
        #expect(mem["used"]?.intValue == total - available)
        #expect(mem["free"]?.intValue == available)
        let percent = try #require(mem["percent"]?.doubleValue)
        #expect(abs(percent - (Double(total - available) * 100 / Double(total) * 10).rounded() / 10) < 0.001)
        for key in ["active", "inactive", "buffers", "cached"] {
            #expect(mem[key]?.intValue != nil, "mem.\(key) is an int")
        }
    }

    @Test func memswapMatchesMeminfo() throws {
        let swap = try #require(try PluginSampler([MemSwapPlugin.self]).sample()["memswap"])
        let total = (ProcReads.meminfoKiB("SwapTotal") ?? 0) * 1024
        #expect(swap["total"]?.intValue == Int(total))
        #expect(swap["percent"]?.doubleValue != nil)
        let used = try #require(swap["used"]?.intValue)
        let free = try #require(swap["free"]?.intValue)
        #expect(used + free == Int(total))
        #expect(swap["sin"]?.intValue != nil && swap["sout"]?.intValue != nil)
    }

    @Test func coreCountsMatchTheKernel() throws {
        let core = try #require(try PluginSampler([CorePlugin.self]).sample()["core"])
        #expect(core["log"]?.intValue == ProcReads.cpuLines())
        let phys = try #require(core["phys"]?.intValue)
        #expect(phys >= 1 && phys <= ProcReads.cpuLines())
    }

    @Test func loadIsTheKernelsLoadAverage() throws {
        let before = ProcReads.loadavg()
        let load = try #require(try PluginSampler([LoadPlugin.self]).sample()["load"])
        let after = ProcReads.loadavg()
        for (index, key) in ["min1", "min5", "min15"].enumerated() {
            let value = try #require(load[key]?.doubleValue, "\(key) is a float")
            #expect(
                value >= min(before[index], after[index]) - 0.01 && value <= max(before[index], after[index]) + 0.01)
        }
        #expect(load["cpucore"]?.intValue == ProcReads.cpuLines())
    }

    @Test func cpuModesSumToAHundredAndCountersAreInts() throws {
        let sampler = PluginSampler([CPUPlugin.self, PerCPUPlugin.self])
        let first = try sampler.sample()
        #expect(first["cpu"]?["time_since_update"] == .int(1), "the int 1 on the first sample")
        // Burn a little CPU between the samples so that ticks pass.
        let deadline = Date().addingTimeInterval(0.3)
        var spin = 0
        while Date() < deadline { spin &+= 1 }
        let second = try sampler.sample()
        let cpu = try #require(second["cpu"])
        let modes = ["user", "system", "idle", "nice", "iowait", "irq", "softirq", "steal"]
        let sum = try modes.reduce(0.0) { $0 + (try #require(cpu[$1]?.doubleValue, "cpu.\($1) is a float")) }
        #expect(abs(sum - 100) <= 2)
        #expect(cpu["total"]?.doubleValue.map { abs($0 - (100 - (cpu["idle"]?.doubleValue ?? 0))) < 0.11 } == true)
        for key in ["ctx_switches", "interrupts", "soft_interrupts", "syscalls", "cpucore"] {
            #expect(cpu[key]?.intValue != nil, "cpu.\(key) is an int")
        }
        #expect((cpu["ctx_switches"]?.intValue ?? 0) > 0, "context switches happened in 0.3 s")
        let interval = try #require(cpu["time_since_update"]?.doubleValue)
        #expect(interval > 0.25 && interval < 5)

        let percpu = try #require(second["percpu"]).items
        #expect(percpu.count == ProcReads.cpuLines())
        for (number, entry) in percpu.enumerated() {
            #expect(entry["cpu_number"] == .int(number))
            let total = try modes.reduce(0.0) { $0 + (try #require(entry[$1]?.doubleValue)) }
            #expect(abs(total - 100) <= 2)
        }
    }

    @Test func systemDescribesThisMachine() throws {
        let system = try #require(try PluginSampler([SystemPlugin.self]).sample()["system"])
        #expect(system["os_name"] == .string("Linux"))
        #expect(
            system["hostname"]?.stringValue
                == ProcReads.text("/proc/sys/kernel/hostname").trimmingCharacters(in: .newlines))
        #expect(
            system["os_version"]?.stringValue
                == ProcReads.text("/proc/sys/kernel/osrelease").trimmingCharacters(in: .newlines))
        #expect(system["platform"] == .string("64bit"))
        var fields: [String: String] = [:]
        for line in ProcReads.text("/etc/os-release").split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 {
                fields[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        let distro = [fields["NAME"], fields["VERSION_ID"]].compactMap { $0 }.joined(separator: " ")
        #expect(system["linux_distro"]?.stringValue == distro)
        #expect(system["hr_name"]?.stringValue == distro + " 64bit")
    }

    @Test func uptimeIsPythonTimedeltaText() throws {
        let text = try #require(try PluginSampler([UptimePlugin.self]).sample()["uptime"]?.stringValue)
        let match = try #require(text.wholeMatch(of: /(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)/))
        let seconds = Int(match.1 ?? "0")! * 86_400 + Int(match.2)! * 3600 + Int(match.3)! * 60 + Int(match.4)!
        #expect(abs(Double(seconds) - ProcReads.uptime()) < 5)
    }

    @Test(arguments: [
        (0, "0:00:00"), (369, "0:06:09"), (86_400, "1 day, 0:00:00"), (93_784, "1 day, 2:03:04"),
        (8 * 86_400 + 20 * 3600 + 51 * 60 + 7, "8 days, 20:51:07"),
    ])
    func uptimeFormat(seconds: Int, text: String) {
        #expect(UptimePlugin.format(seconds: seconds) == text)
    }

    @Test func nowIsLocalTime() throws {
        let text = try #require(try PluginSampler([NowPlugin.self]).sample()["now"]?.stringValue)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone.current
        let date = try #require(formatter.date(from: text))
        #expect(abs(date.timeIntervalSinceNow) < 5)
    }

    @Test func psutilVersionIsTheLibproc2Version() throws {
        let version = try #require(try PluginSampler([PsutilVersionPlugin.self]).sample()["psutilversion"])
        let expected = ProcReads.run(["pkg-config", "--modversion", "libproc2"]).split(separator: ".").compactMap {
            Int($0)
        }
        #expect(!expected.isEmpty)
        #expect(version == .array(expected.map { .int($0) }))
    }

    @Test func helpIsNull() throws {
        #expect(try PluginSampler([HelpPlugin.self]).sample()["help"] == .null)
    }
}
