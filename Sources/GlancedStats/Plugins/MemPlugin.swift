import GlancedSystem

/// `mem`: RAM figures in bytes, with `used`, `free` and `percent` derived as Glances derives them.
package struct MemPlugin: StatsPlugin {
    package static let name = "mem"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let memory = refresh.value(of: MemorySource.self)
        let used = memory.total >= memory.available ? memory.total - memory.available : 0
        json.object { json in
            json.field("total", memory.total)
            json.field("available", memory.available)
            json.field("percent", MemPlugin.percent(used, of: memory.total))
            json.field("used", used)
            json.field("free", memory.available)
            json.field("active", memory.active)
            json.field("inactive", memory.inactive)
            json.field("buffers", memory.buffers)
            json.field("cached", memory.cached)
        }
    }

    /// `part / whole × 100` rounded to 0.1; 0 when `whole` is 0.
    package static func percent(_ part: UInt64, of whole: UInt64) -> Double {
        whole == 0 ? 0 : CPUPercentages.round1(Double(part) * 100 / Double(whole))
    }
}
