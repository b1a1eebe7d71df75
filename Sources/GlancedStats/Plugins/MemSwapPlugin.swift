package import GlancedSystem

/// `memswap`: swap space, psutil's `swap_memory()`.
package struct MemSwapPlugin: StatsPlugin {
    package static let name = "memswap"

    package static var inHistory: Bool { true }

    package static var defaultOptions: [ConfigSection.Entry] { OptionCheck.levels([""], "50", "70", "90") }

    /// This sample's `/proc/meminfo` and `/proc/vmstat` swap figures.
    package struct Stats: PluginStats {
        package var memory: MemorySample
        /// Seconds since the previous sample; nil on the first.
        package var interval: Double?

        /// Creates the value.
        package init(memory: MemorySample, interval: Double? = nil) {
            self.memory = memory
            self.interval = interval
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

    private var lastTime: Double?

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        defer { lastTime = refresh.monotonic }
        return Stats(memory: refresh.value(of: MemorySource.self), interval: lastTime.map { refresh.monotonic - $0 })
    }
}

extension MemSwapPlugin.Stats {
    /// 3.x and 4.x: the 2.0 keys and `time_since_update`.
    package func writeGlances3(into json: inout JSONWriter) {
        json.object { json in
            json.field("total", memory.swapTotal)
            json.field("used", used)
            json.field("free", memory.swapFree)
            json.field("percent", percent)
            json.field("sin", memory.swappedIn)
            json.field("sout", memory.swappedOut)
            json.timeSinceUpdate(interval)
        }
    }

    /// `percent` against the `[memswap]` thresholds.
    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        field == "percent" ? AlertThresholds.decoration(percent, limits, prefix: "") : nil
    }
}
