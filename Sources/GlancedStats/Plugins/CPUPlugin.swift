package import GlancedSystem

/// `cpu`: the share of all CPU time spent in each mode between the last two samples.
///
/// Besides the ten Glances 2.0 modes it carries the keys the 2.11.1 client reads: `total`,
/// `ctx_switches`, `interrupts`, `soft_interrupts`, `syscalls`, `cpucore` and `time_since_update`.
package struct CPUPlugin: StatsPlugin {
    package static let name = "cpu"

    package static var inHistory: Bool { true }

    package static var defaultOptions: [ConfigSection.Entry] {
        OptionCheck.levels(["user", "system", "iowait", "steal"], "50", "70", "90")
    }

    /// One sample of `/proc/stat`'s totals.
    package struct Stats: PluginStats {
        /// Ticks since boot, all CPUs together.
        package var ticks: CPUTicks
        /// The split of the time since the previous sample (since boot on the first).
        package var split: CPUPercentages
        /// Context switches, interrupts and soft interrupts since boot.
        package var contextSwitches: UInt64, interrupts: UInt64, softInterrupts: UInt64
        /// The same counters' increase since the previous sample (0 on the first).
        package var contextSwitchesDelta: UInt64, interruptsDelta: UInt64, softInterruptsDelta: UInt64
        /// Logical CPUs.
        package var cores: Int
        /// Seconds since the previous sample; nil on the first.
        package var interval: Double?

        /// Creates the value.
        package init(
            ticks: CPUTicks, split: CPUPercentages, contextSwitches: UInt64, interrupts: UInt64, softInterrupts: UInt64,
            contextSwitchesDelta: UInt64, interruptsDelta: UInt64, softInterruptsDelta: UInt64, cores: Int,
            interval: Double?
        ) {
            self.ticks = ticks
            self.split = split
            self.contextSwitches = contextSwitches
            self.interrupts = interrupts
            self.softInterrupts = softInterrupts
            self.contextSwitchesDelta = contextSwitchesDelta
            self.interruptsDelta = interruptsDelta
            self.softInterruptsDelta = softInterruptsDelta
            self.cores = cores
            self.interval = interval
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                split.writeModes(into: &json)
                json.field("guest", split.guest)
                json.field("guest_nice", split.guestNice)
                json.field("total", CPUPercentages.round1(100 - split.idle))
                json.field("ctx_switches", contextSwitchesDelta)
                json.field("interrupts", interruptsDelta)
                json.field("soft_interrupts", softInterruptsDelta)
                json.field("syscalls", 0)
                json.field("cpucore", cores)
                json.timeSinceUpdate(interval)
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let stat = refresh.value(of: CPUStatSource.self)
        func delta(_ path: KeyPath<CPUStatSample, UInt64>) -> UInt64 {
            CounterDelta.between(stat.previous?[keyPath: path], stat.current[keyPath: path])
        }
        return Stats(
            ticks: stat.current.all,
            split: CPUPercentages(from: stat.previous?.all, to: stat.current.all),
            contextSwitches: stat.current.contextSwitches, interrupts: stat.current.interrupts,
            softInterrupts: stat.current.softInterrupts,
            contextSwitchesDelta: delta(\.contextSwitches), interruptsDelta: delta(\.interrupts),
            softInterruptsDelta: delta(\.softInterrupts),
            cores: refresh.value(of: HostSource.self).logicalCPUs,
            interval: stat.previous == nil ? nil : stat.interval
        )
    }
}

extension CPUPlugin.Stats {
    /// 4.x: the modes without `softirq` and `guest_nice`, and each counter with its gauge and rate per second.
    package func writeGlances4(into json: inout JSONWriter) {
        json.object { json in
            json.field("total", CPUPercentages.round1(100 - split.idle))
            json.field("user", split.user)
            json.field("nice", split.nice)
            json.field("system", split.system)
            json.field("idle", split.idle)
            json.field("iowait", split.iowait)
            json.field("irq", split.irq)
            json.field("steal", split.steal)
            json.field("guest", split.guest)
            json.field("ctx_switches", contextSwitchesDelta)
            json.field("interrupts", interruptsDelta)
            json.field("soft_interrupts", softInterruptsDelta)
            json.field("syscalls", 0)
            json.field("cpucore", cores)
            json.timeSinceUpdate(interval)
            json.field("ctx_switches_gauge", contextSwitches)
            json.field("ctx_switches_rate_per_sec", JSONWriter.ratePerSecond(contextSwitchesDelta, interval))
            json.field("interrupts_gauge", interrupts)
            json.field("interrupts_rate_per_sec", JSONWriter.ratePerSecond(interruptsDelta, interval))
            json.field("soft_interrupts_gauge", softInterrupts)
            json.field("soft_interrupts_rate_per_sec", JSONWriter.ratePerSecond(softInterruptsDelta, interval))
            json.field("syscalls_gauge", 0)
            json.field("syscalls_rate_per_sec", 0)
        }
    }

    /// `total`, `user`, `system`, `iowait` and `steal` against their `[cpu]` thresholds (`total` uses `total_…`
    /// when the file has them, else `user_…`, as Glances' browser colours the CPU column).
    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        switch field {
        case "total":
            let total = CPUPercentages.round1(100 - split.idle)
            return AlertThresholds.decoration(total, limits, prefix: "total_")
                ?? AlertThresholds.decoration(total, limits, prefix: "user_")
        case "user": return AlertThresholds.decoration(split.user, limits, prefix: "user_")
        case "system": return AlertThresholds.decoration(split.system, limits, prefix: "system_")
        case "iowait": return AlertThresholds.decoration(split.iowait, limits, prefix: "iowait_")
        case "steal": return AlertThresholds.decoration(split.steal, limits, prefix: "steal_")
        default: return nil
        }
    }
}
