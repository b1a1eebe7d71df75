import GlancedSystem

/// `monitor`: the `[monitor]` list of the configuration — how many processes match each regular
/// expression, and either their summed CPU and memory or a command's output.
///
/// Served through `getAllMonitored` and `getMonitor`, never in `getAll` (Glances ≥ 2.7 clients crash
/// on it there). Commands run in the background with a timeout, so they never delay a reply.
package struct MonitorPlugin: StatsPlugin {
    package static let name = "monitor"

    /// One `list_N_*` group of the configuration.
    package struct Entry {
        package var description: String
        package var regex: String
        package var pattern: Regex<AnyRegexOutput>?
        package var command: String?
        package var countMin: String?
        package var countMax: String?
    }

    /// The entries, in configuration order (N = 1…10, gaps allowed).
    package let entries: [Entry]
    private let commands = MonitorCommands()

    package init(configuration: PluginConfiguration) {
        let section = configuration.section("monitor")
        var entries: [Entry] = []
        for number in 1...10 {
            let prefix = "list_\(number)_"
            guard let description = section[prefix + "description"], let regex = section[prefix + "regex"] else {
                continue
            }
            entries.append(
                Entry(
                    description: description, regex: regex, pattern: try? Regex(regex),
                    command: section[prefix + "command"], countMin: section[prefix + "countmin"],
                    countMax: section[prefix + "countmax"]))
        }
        self.entries = entries
    }

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        guard !entries.isEmpty else {
            json.array { _ in }
            return
        }
        let processes = refresh.value(of: ProcessSource.self).processes
        json.array { json in
            for entry in entries {
                var count = 0
                var cpu = 0.0
                var memory = 0.0
                if let pattern = entry.pattern {
                    for process in processes where process.cmdline.contains(pattern) {
                        count += 1
                        cpu += process.cpuPercent
                        memory += process.memoryPercent
                    }
                }
                // Never null: the Glances 2.0 client calls `result.startswith` on every monitor line
                // whose count is ≥ 1 and dies on None, so "" until the command's first run ends.
                let result: String =
                    if let command = entry.command {
                        commands.result(of: command) ?? ""
                    } else {
                        "CPU: \(Self.oneDecimal(cpu))% | MEM: \(Self.oneDecimal(memory))%"
                    }
                json.object { json in
                    json.field("description", entry.description)
                    json.field("regex", entry.regex)
                    json.field("command", entry.command)
                    json.field("countmin", entry.countMin)
                    json.field("countmax", entry.countMax)
                    json.field("count", count)
                    json.field("result", result)
                }
            }
        }
    }

    /// `value` with exactly one decimal, as Python's `"%.1f"`.
    package static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
