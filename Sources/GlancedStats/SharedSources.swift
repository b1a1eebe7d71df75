package import GlancedSystem

/// `/proc/meminfo` and `/proc/vmstat`, read once per sample (mem, memswap, processlist, alert).
package final class MemorySource: SharedSource {
    private let reader = MemoryReader()

    package init(configuration: PluginConfiguration) {}

    package func read(_ refresh: Refresh) -> MemorySample {
        reader.read()
    }
}

/// `/proc/stat`, read once per sample (cpu, percpu, alert), with the previous read kept for deltas.
package final class CPUStatSource: SharedSource {
    /// This sample's counters and the previous sample's (nil on the first sample).
    package struct Value {
        /// The counters read now.
        package var current: CPUStatSample
        /// The counters of the previous sample, or nil on the first one.
        package var previous: CPUStatSample?
        /// Seconds between the two samples (0 on the first).
        package var interval: Double
    }

    private let reader = CPUStatReader()
    private var last: (sample: CPUStatSample, time: Double)?

    package init(configuration: PluginConfiguration) {}

    package func read(_ refresh: Refresh) -> Value {
        let current = reader.read()
        defer { last = (current, refresh.monotonic) }
        return Value(current: current, previous: last?.sample, interval: last.map { refresh.monotonic - $0.time } ?? 0)
    }
}

/// Percentages of CPU time per mode between two reads of one CPU's ticks.
package struct CPUPercentages: Sendable, Equatable {
    package var user = 0.0, system = 0.0, idle = 0.0, nice = 0.0, iowait = 0.0
    package var irq = 0.0, softirq = 0.0, steal = 0.0, guest = 0.0, guestNice = 0.0

    /// The split of the time between `old` and `new`; since boot when `old` is nil; all idle when no tick passed.
    package init(from old: CPUTicks?, to new: CPUTicks) {
        let base = old ?? CPUTicks()
        func delta(_ path: KeyPath<CPUTicks, UInt64>) -> Double {
            new[keyPath: path] >= base[keyPath: path] ? Double(new[keyPath: path] - base[keyPath: path]) : 0
        }
        let total =
            delta(\.user) + delta(\.nice) + delta(\.system) + delta(\.idle) + delta(\.iowait)
            + delta(\.irq) + delta(\.softirq) + delta(\.steal)
        guard total > 0 else {
            idle = 100
            return
        }
        func percent(_ path: KeyPath<CPUTicks, UInt64>) -> Double { Self.round1(delta(path) * 100 / total) }
        user = percent(\.user)
        system = percent(\.system)
        idle = percent(\.idle)
        nice = percent(\.nice)
        iowait = percent(\.iowait)
        irq = percent(\.irq)
        softirq = percent(\.softirq)
        steal = percent(\.steal)
        guest = percent(\.guest)
        guestNice = percent(\.guestNice)
    }

    /// `value` rounded to one decimal, as Glances rounds percentages.
    package static func round1(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }

    /// Writes the eight modes every CPU plugin shows.
    package func writeModes(into json: inout JSONWriter) {
        json.field("user", user)
        json.field("system", system)
        json.field("idle", idle)
        json.field("nice", nice)
        json.field("iowait", iowait)
        json.field("irq", irq)
        json.field("softirq", softirq)
        json.field("steal", steal)
    }
}

/// Machine facts that never change while the server runs, read once.
package final class HostSource: SharedSource {
    /// The facts.
    package struct Value: Sendable {
        package var logicalCPUs: Int
        package var physicalCores: Int
        package var hostname: String
        package var kernelRelease: String
        package var distribution: String
    }

    private let facts: Value

    package init(configuration: PluginConfiguration) {
        facts = Value(
            logicalCPUs: HostInfo.logicalCPUs(),
            physicalCores: HostInfo.physicalCores(),
            hostname: HostInfo.hostname(),
            kernelRelease: HostInfo.kernelRelease(),
            distribution: HostInfo.linuxDistribution()
        )
    }

    package func read(_ refresh: Refresh) -> Value { facts }
}
