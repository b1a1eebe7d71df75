package import GlancedSystem

/// `monitor`: the `[monitor]` list of the configuration — how many processes match each regular
/// expression, and either their summed CPU and memory or a command's output.
///
/// Served through `getAllMonitored` and `getMonitor`, never in `getAll` (Glances ≥ 2.7 clients crash
/// on it there). Commands run in the background with a timeout, so they never delay a reply.
package struct MonitorPlugin: StatsPlugin {
    package static let name = "monitor"

    /// Glances 2.x only: 3.x and 4.x fold it into `sensors` (or dropped it) and their clients end on its key.
    package static var generations: Set<GlancesGeneration> { [.v2] }

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

    package static var inGetAll: Bool { false }

    package static func reads(_ key: String) -> Bool {
        guard key.hasPrefix("list_") else { return false }
        let rest = key.dropFirst(5).drop(while: { $0.isNumber })
        return ["_description", "_regex", "_command", "_countmin", "_countmax"].contains(String(rest))
    }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        for entry in section.entries where reads(entry.key) && entry.key.hasSuffix("_regex") {
            try OptionCheck.pattern(entry.value, entry: entry, section: name)
        }
    }

    /// One group's figures in this sample.
    package struct Group: Sendable, Equatable {
        /// The group as configured.
        package var description: String, regex: String, command: String?, countMin: String?, countMax: String?
        /// How many processes match.
        package var count: Int
        /// The matching processes' summed CPU and memory percentages.
        package var cpuPercent: Double, memoryPercent: Double
        /// The command's last output (`""` until its first run ends), or the CPU/MEM summary without one.
        package var result: String

        /// Creates the value.
        package init(
            description: String, regex: String, command: String?, countMin: String?, countMax: String?, count: Int,
            cpuPercent: Double, memoryPercent: Double, result: String
        ) {
            self.description = description
            self.regex = regex
            self.command = command
            self.countMin = countMin
            self.countMax = countMax
            self.count = count
            self.cpuPercent = cpuPercent
            self.memoryPercent = memoryPercent
            self.result = result
        }
    }

    /// Every configured group, in configuration order.
    package struct Stats: PluginStats {
        package var groups: [Group]

        /// Creates the value.
        package init(groups: [Group]) {
            self.groups = groups
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for group in groups {
                    json.object { json in
                        json.field("description", group.description)
                        json.field("regex", group.regex)
                        json.field("command", group.command)
                        json.field("countmin", group.countMin)
                        json.field("countmax", group.countMax)
                        json.field("count", group.count)
                        json.field("result", group.result)
                    }
                }
            }
        }
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

    package mutating func update(_ refresh: Refresh) -> Stats {
        guard !entries.isEmpty else { return Stats(groups: []) }
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
        var groups: [Group] = []
        for (index, entry) in entries.enumerated() {
            // Never null: the Glances 2.0 client calls `result.startswith` on every monitor line
            // whose count is ≥ 1 and dies on None, so "" until the command's first run ends.
            let result: String =
                if let command = entry.command {
                    commands.result(of: command) ?? ""
                } else {
                    "CPU: \(Self.oneDecimal(cpu[index]))% | MEM: \(Self.oneDecimal(memory[index]))%"
                }
            groups.append(
                Group(
                    description: entry.description, regex: entry.regex, command: entry.command,
                    countMin: entry.countMin, countMax: entry.countMax, count: counts[index],
                    cpuPercent: cpu[index], memoryPercent: memory[index], result: result))
        }
        return Stats(groups: groups)
    }

    /// `value` with exactly one decimal, as Python's `"%.1f"`.
    package static func oneDecimal(_ value: Double) -> String {
        let scaled = (value * 10).rounded()
        guard scaled.isFinite, abs(scaled) < 1e15 else { return "0.0" }
        let tenths = Int(scaled)
        let sign = tenths < 0 && tenths > -10 ? "-" : ""
        return "\(sign)\(tenths / 10).\(abs(tenths % 10))"
    }
}
