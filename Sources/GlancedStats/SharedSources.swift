package import GlancedSystem

/// `/proc/meminfo` and `/proc/vmstat`, read once per sample (mem, memswap, processlist, alert).
package final class MemorySource: SharedSource {
    private let reader = MemoryReader()

    package init(configuration: PluginConfiguration) {}

    package func read(_ refresh: Refresh) -> MemorySample {
        reader.read()
    }
}
