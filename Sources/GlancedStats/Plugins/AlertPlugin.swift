import GlancedSystem

/// `alert`: Glances' alert log, computed on the server each sample from the limits of `[cpu]`,
/// `[load]`, `[mem]` and `[memswap]` (the 2.0 server only ever sent `[]`; its client computed them).
package struct AlertPlugin: StatsPlugin {
    package static let name = "alert"

    /// The watched values: alert type, and the configuration section and key prefix of its thresholds.
    private static let watched: [(type: String, section: String, prefix: String)] = [
        ("CPU_USER", "cpu", "user_"), ("CPU_SYSTEM", "cpu", "system_"), ("CPU_IOWAIT", "cpu", "iowait_"),
        ("LOAD", "load", ""), ("MEM", "mem", ""), ("MEMSWAP", "memswap", ""),
    ]

    /// The log after this sample.
    package struct Stats: PluginStats {
        package var log: AlertLog

        /// Creates the value.
        package init(log: AlertLog) {
            self.log = log
        }

        package func writeGlances2(into json: inout JSONWriter) {
            log.write(into: &json)
        }
    }

    private var thresholds: [String: AlertThresholds] = [:]
    private var log = AlertLog()

    package init(configuration: PluginConfiguration) {
        thresholds = Self.thresholds(configuration)
    }

    /// Keeps the log; only the thresholds change.
    package mutating func reconfigure(_ configuration: PluginConfiguration) {
        thresholds = Self.thresholds(configuration)
    }

    private static func thresholds(_ configuration: PluginConfiguration) -> [String: AlertThresholds] {
        var thresholds: [String: AlertThresholds] = [:]
        for (type, section, prefix) in Self.watched {
            let options = configuration.section(section)
            guard let careful = options[prefix + "careful"].flatMap(Double.init),
                let warning = options[prefix + "warning"].flatMap(Double.init),
                let critical = options[prefix + "critical"].flatMap(Double.init)
            else { continue }
            thresholds[type] = AlertThresholds(careful: careful, warning: warning, critical: critical)
        }
        return thresholds
    }

    package mutating func update(_ refresh: Refresh) -> Stats {
        let stat = refresh.value(of: CPUStatSource.self)
        let memory = refresh.value(of: MemorySource.self)
        let cores = Double(refresh.value(of: HostSource.self).logicalCPUs)
        var values: [String: Double] = [
            "LOAD": HostInfo.loadAverage().fifteen / cores,
            "MEM": memory.total == 0
                ? 0 : Double(memory.total - min(memory.available, memory.total)) * 100 / Double(memory.total),
            "MEMSWAP": memory.swapTotal == 0
                ? 0 : Double(memory.swapTotal - min(memory.swapFree, memory.swapTotal)) * 100 / Double(memory.swapTotal)
                ,
        ]
        if stat.previous != nil {
            // CPU shares need two samples; the first would be the average since boot.
            let split = CPUPercentages(from: stat.previous?.all, to: stat.current.all)
            values["CPU_USER"] = split.user
            values["CPU_SYSTEM"] = split.system
            values["CPU_IOWAIT"] = split.iowait
        }
        for (type, _, _) in Self.watched {
            guard let value = values[type], let limits = thresholds[type] else { continue }
            log.record(type: type, level: limits.level(of: value), value: value, time: refresh.epoch)
        }
        return Stats(log: log)
    }
}

extension AlertPlugin.Stats {
    /// 3.x: the 2.0 11-item lists plus the process sort key (`cpu_percent`, `memory_percent` for MEM and MEMSWAP).
    package func writeGlances3(into json: inout JSONWriter) {
        json.array { json in
            for event in log.events {
                json.array { json in
                    json.value(event.start)
                    if event.isOngoing { json.value(-1) } else { json.value(event.end) }
                    json.value(event.level.name)
                    json.value(event.type)
                    json.value(event.max)
                    json.value(event.average)
                    json.value(event.min)
                    json.value(event.sum)
                    json.value(event.count)
                    json.array { _ in }
                    json.value("")
                    json.value(Self.sortKey(event.type))
                }
            }
        }
    }

    /// 4.x: one object per event.
    package func writeGlances4(into json: inout JSONWriter) {
        json.array { json in
            for event in log.events {
                json.object { json in
                    json.field("begin", event.start)
                    json.key("end")
                    if event.isOngoing { json.value(-1) } else { json.value(event.end) }
                    json.field("state", event.level.name)
                    json.field("type", event.type)
                    json.field("min", event.min)
                    json.field("max", event.max)
                    json.field("sum", event.sum)
                    json.field("count", event.count)
                    json.field("avg", event.average)
                    json.key("top")
                    json.array { _ in }
                    json.field("desc", "")
                    json.field("sort", Self.sortKey(event.type))
                    json.field("global_msg", "")
                }
            }
        }
    }

    private static func sortKey(_ type: String) -> String {
        type.hasPrefix("MEM") ? "memory_percent" : "cpu_percent"
    }
}
