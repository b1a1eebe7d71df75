package import GlancedSystem

/// `memswap`: swap space, psutil's `swap_memory()`.
package struct MemSwapPlugin: StatsPlugin {
    package static let name = "memswap"

    package static var defaultOptions: [ConfigSection.Entry] { OptionCheck.levels([""], "50", "70", "90") }

    /// This sample's `/proc/meminfo` and `/proc/vmstat` swap figures.
    package struct Stats: PluginStats {
        package var memory: MemorySample

        /// Creates the value.
        package init(memory: MemorySample) {
            self.memory = memory
        }

        /// Swap bytes in use.
        package var used: UInt64 { memory.swapTotal >= memory.swapFree ? memory.swapTotal - memory.swapFree : 0 }
        /// ``used`` as a share of the total, to 0.1 %.
        package var percent: Double { MemPlugin.percent(used, of: memory.swapTotal) }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                json.field("total", memory.swapTotal)
                json.field("used", used)
                json.field("free", memory.swapFree)
                json.field("percent", percent)
                json.field("sin", memory.swappedIn)
                json.field("sout", memory.swappedOut)
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(memory: refresh.value(of: MemorySource.self))
    }
}
