import GlancedSystem

/// `cpu`: the share of all CPU time spent in each mode between the last two samples.
///
/// Besides the ten Glances 2.0 modes it carries the keys the 2.11.1 client reads: `total`,
/// `ctx_switches`, `interrupts`, `soft_interrupts`, `syscalls`, `cpucore` and `time_since_update`.
package struct CPUPlugin: StatsPlugin {
    package static let name = "cpu"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let stat = refresh.value(of: CPUStatSource.self)
        let cores = refresh.value(of: HostSource.self).logicalCPUs
        let split = CPUPercentages(from: stat.previous?.all, to: stat.current.all)
        func delta(_ path: KeyPath<CPUStatSample, UInt64>) -> UInt64 {
            guard let previous = stat.previous else { return 0 }
            let (new, old) = (stat.current[keyPath: path], previous[keyPath: path])
            return new >= old ? new - old : 0
        }
        json.object { json in
            split.writeModes(into: &json)
            json.field("guest", split.guest)
            json.field("guest_nice", split.guestNice)
            json.field("total", CPUPercentages.round1(100 - split.idle))
            json.field("ctx_switches", delta(\.contextSwitches))
            json.field("interrupts", delta(\.interrupts))
            json.field("soft_interrupts", delta(\.softInterrupts))
            json.field("syscalls", 0)
            json.field("cpucore", cores)
            json.key("time_since_update")
            if stat.previous == nil { json.value(1) } else { json.value(stat.interval) }
        }
    }
}
