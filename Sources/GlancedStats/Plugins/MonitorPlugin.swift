package import GlancedSystem

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
        package var pattern: ConfigRegex?
        package var command: String?
        package var countMin: String?
        package var countMax: String?
    }

    /// The entries, in configuration order (N = 1…10, gaps allowed).
    package let entries: [Entry]
    private let commands = MonitorCommands()
    /// Which entries each process matched, by pid and start time, with the command line matched: a
    /// process is matched once in its life (again only if its command line changes), not every sample.
    private var matched: [ProcessKey: (cmdline: String, entries: [Bool])] = [:]

    private struct ProcessKey: Hashable {
        var pid: Int32
        var startTicks: UInt64
    }

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
                    description: description, regex: regex, pattern: ConfigRegex(regex),
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
        var counts = Array(repeating: 0, count: entries.count)
        var cpu = Array(repeating: 0.0, count: entries.count)
        var memory = Array(repeating: 0.0, count: entries.count)
        var matched: [ProcessKey: (cmdline: String, entries: [Bool])] = [:]
        matched.reserveCapacity(processes.count)
        for process in processes {
            let key = ProcessKey(pid: process.pid, startTicks: process.startTicks)
            var hits: [Bool]
            if let known = self.matched[key], known.cmdline == process.cmdline {
                hits = known.entries
            } else {
                hits = entries.map { $0.pattern?.matches(process.cmdline) ?? false }
            }
            matched[key] = (process.cmdline, hits)
            for index in hits.indices where hits[index] {
                counts[index] += 1
                cpu[index] += process.cpuPercent
                memory[index] += process.memoryPercent
            }
        }
        self.matched = matched
        json.array { json in
            for (index, entry) in entries.enumerated() {
                let count = counts[index]
                // Never null: the Glances 2.0 client calls `result.startswith` on every monitor line
                // whose count is ≥ 1 and dies on None, so "" until the command's first run ends.
                let result: String =
                    if let command = entry.command {
                        commands.result(of: command) ?? ""
                    } else {
                        "CPU: \(Self.oneDecimal(cpu[index]))% | MEM: \(Self.oneDecimal(memory[index]))%"
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
