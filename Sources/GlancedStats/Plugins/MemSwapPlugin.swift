import GlancedSystem

/// `memswap`: swap figures in bytes, and bytes swapped in and out since boot.
package struct MemSwapPlugin: StatsPlugin {
    package static let name = "memswap"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let memory = refresh.value(of: MemorySource.self)
        let used = memory.swapTotal >= memory.swapFree ? memory.swapTotal - memory.swapFree : 0
        json.object { json in
            json.field("total", memory.swapTotal)
            json.field("used", used)
            json.field("free", memory.swapFree)
            json.field("percent", MemPlugin.percent(used, of: memory.swapTotal))
            json.field("sin", memory.swappedIn)
            json.field("sout", memory.swappedOut)
        }
    }
}
