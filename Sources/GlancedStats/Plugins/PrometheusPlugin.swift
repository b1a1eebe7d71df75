import GlancedSystem
internal import Glibc

/// `prometheus`: what `/metrics` shows beyond node_exporter's metrics, and the options of the `[prometheus]`
/// section.
///
/// - the `[monitor]` groups as process-exporter's `namedprocess_namegroup_*` families: their counters (CPU
///   seconds, bytes read and written) add up each member's increase, so they never decrease while members
///   come and go;
/// - the top `top_processes` process names by CPU and by resident memory (default 10, 0 turns it off, at
///   most 50), aggregated by name: never a pid, user or command line;
/// - the `*.prom` files of `textfile_directory`, as node_exporter's textfile collector reads them;
/// - the Glances thresholds of the configuration.
///
/// Not a Glances plugin: Glances clients never see it.
package struct PrometheusPlugin: StatsPlugin {
    package static let name = "prometheus"

    package static var inGetAll: Bool { false }

    package static var isGlancesPlugin: Bool { false }

    /// The default number of top process names.
    package static let defaultTopProcesses = 10
    /// The largest number of top process names accepted.
    package static let maxTopProcesses = 50

    package static func reads(_ key: String) -> Bool {
        key == "top_processes" || key == "textfile_directory"
    }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        if let entry = section.entry("top_processes") {
            guard let count = Int(entry.value), (0...maxTopProcesses).contains(count) else {
                throw ConfigProblem(
                    line: entry.line,
                    message: "[\(name)] top_processes must be a whole number from 0 to \(maxTopProcesses),"
                        + " not \"\(entry.value)\"")
            }
        }
        if let entry = section.entry("textfile_directory"), !entry.value.isEmpty, !entry.value.hasPrefix("/") {
            throw ConfigProblem(
                line: entry.line, message: "[\(name)] textfile_directory must be an absolute path: \"\(entry.value)\"")
        }
    }

    /// One `[monitor]` group as process-exporter's families describe it.
    package struct Group: Sendable, Equatable {
        /// `list_N_description`: the `groupname` label.
        package var name: String
        /// Matching processes now, and their threads.
        package var processes: Int, threads: Int
        /// CPU seconds in user and system mode, bytes read and written: monotonic sums of the members' increases.
        package var userSeconds: Double, systemSeconds: Double, readBytes: UInt64, writtenBytes: UInt64
        /// Resident and virtual memory of the members now, bytes.
        package var residentBytes: UInt64, virtualBytes: UInt64
        /// Members per process-exporter state: Running, Sleeping, Waiting, Zombie, Other.
        package var states: [Int]
        /// The start time of the oldest member, seconds since the epoch; nil without members.
        package var oldestStart: Double?
        /// Glances' status of the group: 0 OK, 1 WARNING, 2 CRITICAL (against `countmin`/`countmax`).
        package var status: Int
        /// `countmin` and `countmax` when configured and numeric.
        package var countMin: Double?, countMax: Double?
    }

    /// One process name of the top list.
    package struct TopName: Sendable, Equatable {
        /// The name (`comm`).
        package var name: String
        /// Live processes with that name.
        package var processes: Int
        /// CPU seconds in user and system mode: monotonic sums of every such process's increase.
        package var userSeconds: Double, systemSeconds: Double
        /// Resident memory now, bytes.
        package var residentBytes: UInt64
        /// CPU used over the last interval, in CPUs (1 = one CPU busy).
        package var cpuRatio: Double
    }

    /// One `*.prom` file of the textfile directory.
    package struct Textfile: Sendable, Equatable {
        /// The file name.
        package var name: String
        /// Its modification time, seconds since the epoch.
        package var modified: Double
        /// Its content; nil when it could not be read.
        package var content: [UInt8]?
    }

    /// One threshold of the configuration.
    package struct Threshold: Sendable, Equatable {
        /// The section (`cpu`, `mem`, `fs`, …), the stat (`user`, or `""` for a section-wide one), the level.
        package var plugin: String, stat: String, level: String
        /// The configured value.
        package var value: Double
    }

    /// This sample's figures.
    package struct Stats: PluginStats {
        package var groups: [Group] = []
        package var top: [TopName] = []
        /// The number of names asked for (0: the top list is off).
        package var topCount = 0
        /// Whether a textfile directory is configured, and its files (sorted by name).
        package var textfileDirectory: String?
        package var textfiles: [Textfile] = []
        /// Whether the textfile directory could not be read.
        package var textfileDirectoryError = false
        package var thresholds: [Threshold] = []

        /// Creates an empty value.
        package init() {}

        package func writeGlances2(into json: inout JSONWriter) {
            json.null()
        }
    }

    private struct GroupSpec {
        var name: String
        var pattern: ConfigRegex?
        var countMin: Double?
        var countMax: Double?
        var countMinText: String?
        var countMaxText: String?
    }

    private struct ProcessKey: Hashable {
        var pid: Int32
        var startTicks: UInt64
    }

    private struct Seen {
        var cmdline: String
        var groups: [Bool]
        var userTicks: UInt64, systemTicks: UInt64, readBytes: UInt64, writeBytes: UInt64
    }

    private let specs: [GroupSpec]
    private let topCount: Int
    private let textfileDirectory: String?
    private let thresholds: [Threshold]
    private var seen: [ProcessKey: Seen] = [:]
    private var groupTotals: [(user: UInt64, system: UInt64, read: UInt64, write: UInt64)]
    private var nameTotals: [String: (user: UInt64, system: UInt64)] = [:]
    private var first = true

    package init(configuration: PluginConfiguration) {
        let section = configuration.section("prometheus")
        topCount =
            section["top_processes"].flatMap { Int($0) }.map { min(max($0, 0), Self.maxTopProcesses) }
            ?? Self.defaultTopProcesses
        textfileDirectory = section["textfile_directory"].flatMap { $0.isEmpty ? nil : $0 }
        let monitor = configuration.section("monitor")
        var specs: [GroupSpec] = []
        for number in 1...10 {
            let prefix = "list_\(number)_"
            guard let description = monitor[prefix + "description"], let regex = monitor[prefix + "regex"] else {
                continue
            }
            specs.append(
                GroupSpec(
                    name: description, pattern: ConfigRegex(regex),
                    countMin: monitor[prefix + "countmin"].flatMap { Double($0) },
                    countMax: monitor[prefix + "countmax"].flatMap { Double($0) },
                    countMinText: monitor[prefix + "countmin"], countMaxText: monitor[prefix + "countmax"]))
        }
        self.specs = specs
        groupTotals = Array(repeating: (0, 0, 0, 0), count: specs.count)
        var thresholds: [Threshold] = []
        for plugin in PluginRegistry.all where plugin.isGlancesPlugin && !plugin.defaultOptions.isEmpty {
            for entry in configuration.section(plugin.name).entries {
                for level in ["careful", "warning", "critical"] where entry.key.hasSuffix(level) {
                    guard let value = Double(entry.value), value.isFinite else { continue }
                    var stat = String(entry.key.dropLast(level.count))
                    if stat.hasSuffix("_") { stat.removeLast() }
                    thresholds.append(Threshold(plugin: plugin.name, stat: stat, level: level, value: value))
                }
            }
        }
        self.thresholds = thresholds
    }

    package mutating func update(_ refresh: Refresh) -> Stats {
        var stats = Stats()
        stats.topCount = topCount
        stats.thresholds = thresholds
        let table = refresh.value(of: ProcessSource.self)
        let ticks = ProcessScanner.ticksPerSecond
        let bootTime = Double(refresh.value(of: CPUStatSource.self).current.bootTime)

        var groups = specs.map { spec in
            Group(
                name: spec.name, processes: 0, threads: 0, userSeconds: 0, systemSeconds: 0, readBytes: 0,
                writtenBytes: 0, residentBytes: 0, virtualBytes: 0, states: [0, 0, 0, 0, 0], oldestStart: nil,
                status: 0, countMin: spec.countMin, countMax: spec.countMax)
        }
        var names: [String: TopName] = [:]
        var next: [ProcessKey: Seen] = [:]
        next.reserveCapacity(table.processes.count)
        let interval = table.interval ?? 0
        for process in table.processes {
            let reading = process.reading
            let key = ProcessKey(pid: reading.pid, startTicks: reading.startTicks)
            let old = seen[key]
            let io = reading.io ?? .zero
            // A process seen before adds its increase; a new one (after the first sample) all it used so far.
            let base =
                old
                ?? (first
                    ? Seen(
                        cmdline: "", groups: [], userTicks: reading.userTicks, systemTicks: reading.systemTicks,
                        readBytes: io.readBytes, writeBytes: io.writeBytes) : nil)
            func delta(_ now: UInt64, _ then: UInt64?) -> UInt64 { now >= (then ?? 0) ? now - (then ?? 0) : 0 }
            let userDelta = delta(reading.userTicks, base?.userTicks)
            let systemDelta = delta(reading.systemTicks, base?.systemTicks)
            let readDelta = delta(io.readBytes, base?.readBytes)
            let writeDelta = delta(io.writeBytes, base?.writeBytes)

            var hits: [Bool] = []
            if !specs.isEmpty {
                if let old, old.cmdline == reading.cmdline, old.groups.count == specs.count {
                    hits = old.groups
                } else {
                    hits = specs.map { $0.pattern?.matches(reading.cmdline) ?? false }
                }
                let state = Self.stateIndex(reading.state)
                let start = bootTime + Double(reading.startTicks) / ticks
                for index in hits.indices where hits[index] {
                    groups[index].processes += 1
                    groups[index].threads += Int(reading.threads)
                    groups[index].residentBytes &+= reading.residentBytes
                    groups[index].virtualBytes &+= reading.virtualBytes
                    groups[index].states[state] += 1
                    groups[index].oldestStart = min(groups[index].oldestStart ?? start, start)
                    groupTotals[index].user &+= userDelta
                    groupTotals[index].system &+= systemDelta
                    groupTotals[index].read &+= readDelta
                    groupTotals[index].write &+= writeDelta
                }
            }
            next[key] = Seen(
                cmdline: reading.cmdline, groups: hits, userTicks: reading.userTicks, systemTicks: reading.systemTicks,
                readBytes: io.readBytes, writeBytes: io.writeBytes)

            if topCount > 0 {
                var totals = nameTotals[reading.name] ?? (0, 0)
                totals.user &+= userDelta
                totals.system &+= systemDelta
                nameTotals[reading.name] = totals
                var entry =
                    names[reading.name]
                    ?? TopName(
                        name: reading.name, processes: 0, userSeconds: 0, systemSeconds: 0, residentBytes: 0,
                        cpuRatio: 0)
                entry.processes += 1
                entry.residentBytes &+= reading.residentBytes
                entry.cpuRatio += interval > 0 ? process.cpuPercent / 100 : 0
                names[reading.name] = entry
            }
        }
        seen = next
        first = false
        for index in groups.indices {
            groups[index].userSeconds = Double(groupTotals[index].user) / ticks
            groups[index].systemSeconds = Double(groupTotals[index].system) / ticks
            groups[index].readBytes = groupTotals[index].read
            groups[index].writtenBytes = groupTotals[index].write
            groups[index].status = Self.status(
                count: groups[index].processes, min: specs[index].countMinText, max: specs[index].countMaxText)
        }
        stats.groups = groups

        if topCount > 0 {
            let all = Array(names.values)
            let byCPU = all.sorted { ($0.cpuRatio, $1.name) > ($1.cpuRatio, $0.name) }.prefix(topCount)
            let byMemory = all.sorted { ($0.residentBytes, $1.name) > ($1.residentBytes, $0.name) }.prefix(topCount)
            var chosen = Set<String>()
            var top: [TopName] = []
            for var entry in byCPU + byMemory where chosen.insert(entry.name).inserted {
                let totals = nameTotals[entry.name] ?? (0, 0)
                entry.userSeconds = Double(totals.user) / ticks
                entry.systemSeconds = Double(totals.system) / ticks
                top.append(entry)
            }
            stats.top = top.sorted { $0.name < $1.name }
        }

        if let directory = textfileDirectory {
            stats.textfileDirectory = directory
            (stats.textfiles, stats.textfileDirectoryError) = Self.textfiles(in: directory)
        }
        return stats
    }

    /// process-exporter's state index: Running, Sleeping, Waiting, Zombie, Other.
    private static func stateIndex(_ letter: UInt8) -> Int {
        switch letter {
        case UInt8(ascii: "R"): 0
        case UInt8(ascii: "S"): 1
        case UInt8(ascii: "D"): 2
        case UInt8(ascii: "Z"): 3
        default: 4
        }
    }

    /// Glances' monitor rule: OK inside [countmin, countmax] (each defaulting to the count), WARNING outside
    /// with processes, CRITICAL with none unless countmin is 0.
    package static func status(count: Int, min: String?, max: String?) -> Int {
        let low = min.flatMap { Double($0) } ?? Double(count)
        let high = max.flatMap { Double($0) } ?? Double(count)
        if count > 0 { return (low...high).contains(Double(count)) ? 0 : 1 }
        return low == 0 ? 0 : 2
    }

    /// The `*.prom` files of `directory` (not hidden ones), sorted by name.
    private static func textfiles(in directory: String) -> ([Textfile], Bool) {
        guard let handle = opendir(directory) else { return ([], true) }
        closedir(handle)
        var reader = ProcFileReader(capacity: 4096)
        var files: [Textfile] = []
        for name in NodeFilesReader.directory(directory).sorted() where name.hasSuffix(".prom") && !name.hasPrefix(".")
        {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            files.append(Textfile(name: name, modified: modified, content: reader.read(path) { Array($0) }))
        }
        return (files, false)
    }
}
