package import GlancedSystem

/// `mem`: physical memory, psutil's `virtual_memory()` as Glances 2.0 shows it (`free` is `available`).
package struct MemPlugin: StatsPlugin {
    package static let name = "mem"

    package static var inHistory: Bool { true }

    package static var defaultOptions: [ConfigSection.Entry] { OptionCheck.levels([""], "50", "70", "90") }

    /// This sample's `/proc/meminfo`.
    package struct Stats: PluginStats {
        package var memory: MemorySample
        /// The lowest, highest and mean ``percent`` of the samples since the server started (4.x).
        package var percentMin: Double, percentMax: Double, percentMean: Double

        /// Creates the value; the 4.x extremes default to this sample's percent.
        package init(
            memory: MemorySample, percentMin: Double? = nil, percentMax: Double? = nil, percentMean: Double? = nil
        ) {
            self.memory = memory
            let percent = MemPlugin.percent(
                memory.total >= memory.available ? memory.total - memory.available : 0, of: memory.total)
            self.percentMin = percentMin ?? percent
            self.percentMax = percentMax ?? percent
            self.percentMean = percentMean ?? percent
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

    private var percentMin = Double.infinity, percentMax = -Double.infinity, percentSum = 0.0, samples = 0

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let memory = refresh.value(of: MemorySource.self)
        let percent = Stats(memory: memory).percent
        percentMin = min(percentMin, percent)
        percentMax = max(percentMax, percent)
        percentSum += percent
        samples += 1
        return Stats(
            memory: memory, percentMin: percentMin, percentMax: percentMax,
            percentMean: (percentSum / Double(samples) * 100).rounded() / 100)
    }

    /// `part` as a percentage of `whole`, to 0.1; 0 when `whole` is 0.
    package static func percent(_ part: UInt64, of whole: UInt64) -> Double {
        whole == 0 ? 0 : CPUPercentages.round1(Double(part) * 100 / Double(whole))
    }
}

extension MemPlugin.Stats {
    /// 3.x: the 2.0 keys and `shared`.
    package func writeGlances3(into json: inout JSONWriter) {
        json.object { json in
            writeCommon(into: &json, free: memory.available)
        }
    }

    /// 4.x (4.5): `free` is the free memory (not the available), plus the extremes and mean of `percent`.
    package func writeGlances4(into json: inout JSONWriter) {
        json.object { json in
            writeCommon(into: &json, free: memory.free)
            json.field("percent_min", percentMin)
            json.field("percent_max", percentMax)
            json.field("percent_mean", percentMean)
        }
    }

    private func writeCommon(into json: inout JSONWriter, free: UInt64) {
        json.field("total", memory.total)
        json.field("available", memory.available)
        json.field("percent", percent)
        json.field("used", used)
        json.field("free", free)
        json.field("active", memory.active)
        json.field("inactive", memory.inactive)
        json.field("buffers", memory.buffers)
        json.field("cached", memory.cached)
        json.field("shared", memory.shared)
    }

    /// `percent` against the `[mem]` thresholds.
    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        field == "percent" ? AlertThresholds.decoration(percent, limits, prefix: "") : nil
    }
}
