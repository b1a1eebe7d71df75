package import GlancedSystem

/// `mem`: physical memory, psutil's `virtual_memory()` as Glances 2.0 shows it (`free` is `available`).
package struct MemPlugin: StatsPlugin {
    package static let name = "mem"

    package static var defaultOptions: [ConfigSection.Entry] { OptionCheck.levels([""], "50", "70", "90") }

    /// This sample's `/proc/meminfo`.
    package struct Stats: PluginStats {
        package var memory: MemorySample

        /// Creates the value.
        package init(memory: MemorySample) {
            self.memory = memory
        }

        /// Bytes in use: total minus available.
        package var used: UInt64 { memory.total >= memory.available ? memory.total - memory.available : 0 }
        /// ``used`` as a share of the total, to 0.1 %.
        package var percent: Double { MemPlugin.percent(used, of: memory.total) }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                json.field("total", memory.total)
                json.field("available", memory.available)
                json.field("percent", percent)
                json.field("used", used)
                json.field("free", memory.available)
                json.field("active", memory.active)
                json.field("inactive", memory.inactive)
                json.field("buffers", memory.buffers)
                json.field("cached", memory.cached)
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(memory: refresh.value(of: MemorySource.self))
    }

    /// `part` as a percentage of `whole`, to 0.1; 0 when `whole` is 0.
    package static func percent(_ part: UInt64, of whole: UInt64) -> Double {
        whole == 0 ? 0 : CPUPercentages.round1(Double(part) * 100 / Double(whole))
    }
}
