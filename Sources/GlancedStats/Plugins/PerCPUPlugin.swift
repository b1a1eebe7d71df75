import GlancedSystem

/// `percpu`: per logical CPU, the share of its time in each mode between the last two samples.
package struct PerCPUPlugin: StatsPlugin {
    package static let name = "percpu"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let stat = refresh.value(of: CPUStatSource.self)
        let previous = stat.previous?.perCPU ?? []
        json.array { json in
            for (number, ticks) in stat.current.perCPU.enumerated() {
                let split = CPUPercentages(from: number < previous.count ? previous[number] : nil, to: ticks)
                json.object { json in
                    json.field("cpu_number", number)
                    json.field("total", CPUPercentages.round1(100 - split.idle))
                    split.writeModes(into: &json)
                    json.field("guest", split.guest)
                    json.field("guest_nice", split.guestNice)
                }
            }
        }
    }
}
