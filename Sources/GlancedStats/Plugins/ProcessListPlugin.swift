package import GlancedSystem

/// `processlist`: one object per process (not per thread), sorted by pid, from this sample's scan.
///
/// `cpu_percent` and the previous io counters are relative to the previous sample, matched by pid and
/// start time, so a reused pid starts afresh. `time_since_update` is the int `1` on the first sample.
package struct ProcessListPlugin: StatsPlugin {
    package static let name = "processlist"

    package static var defaultOptions: [ConfigSection.Entry] {
        OptionCheck.levels(["cpu", "mem"], "50", "70", "90")
    }

    /// This sample's process table.
    package struct Stats: PluginStats {
        package var table: ProcessTable

        /// Creates the value.
        package init(table: ProcessTable) {
            self.table = table
        }

        package func writeGlances2(into json: inout JSONWriter) {
            // The same for every process: rendered once.
            var since = JSONWriter(capacity: 24)
            if let interval = table.interval { since.value(interval) } else { since.value(1) }
            let sinceBytes = since.bytes
            json.array { json in
                for process in table.processes {
                    let reading = process.reading
                    json.object { json in
                        json.field("pid", Int(reading.pid))
                        json.field("name", reading.name)
                        json.field("username", reading.userName)
                        json.field("cmdline", reading.cmdline)
                        json.field("status", process.state.statusLetter)
                        json.field("nice", Int(reading.nice))
                        json.key("memory_info")
                        json.array { json in
                            json.value(reading.residentBytes)
                            json.value(reading.virtualBytes)
                        }
                        json.field("memory_percent", process.memoryPercent)
                        json.key("cpu_times")
                        json.array { json in
                            json.value(process.userSeconds)
                            json.value(process.systemSeconds)
                        }
                        // psutil rounds a process's cpu_percent to 0.1.
                        json.field("cpu_percent", (process.cpuPercent * 10).rounded() / 10)
                        json.key("io_counters")
                        json.array { json in
                            let io = reading.io ?? .zero
                            let previous = reading.io == nil ? .zero : process.previousIO
                            json.value(io.readBytes)
                            json.value(io.writeBytes)
                            json.value(previous.readBytes)
                            json.value(previous.writeBytes)
                            json.value(reading.io == nil ? 0 : 1)
                        }
                        json.key("time_since_update")
                        json.raw(sinceBytes)
                    }
                }
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(table: refresh.value(of: ProcessSource.self))
    }
}

extension ProcessListPlugin.Stats {
    /// 3.x: sorted by `cpu_percent` (highest first); `cmdline` a list (the arguments as the space-joined command
    /// line splits them); `memory_info` `[rss, vms, shared, text, lib, data, dirty]`, `cpu_times`
    /// `[user, system, children_user, children_system, iowait]` and `gids` lists (figures glanced does not read
    /// are 0); `num_threads` and `key`.
    package func writeGlances3(into json: inout JSONWriter) {
        write(objects: false, into: &json)
    }

    /// 4.x: as 3.x, with `memory_info`, `cpu_times` and `gids` as objects.
    package func writeGlances4(into json: inout JSONWriter) {
        write(objects: true, into: &json)
    }

    private func write(objects: Bool, into json: inout JSONWriter) {
        var since = JSONWriter(capacity: 24)
        if let interval = table.interval { since.value(interval) } else { since.value(1) }
        let sinceBytes = since.bytes
        let order = table.processes.indices.sorted {
            table.processes[$0].cpuPercent > table.processes[$1].cpuPercent
                || (table.processes[$0].cpuPercent == table.processes[$1].cpuPercent && $0 < $1)
        }
        json.array { json in
            for index in order {
                let process = table.processes[index]
                let reading = process.reading
                json.object { json in
                    json.field("pid", Int(reading.pid))
                    json.field("name", reading.name)
                    json.field("username", reading.userName)
                    json.key("cmdline")
                    json.array { json in
                        for argument in reading.cmdline.split(separator: " ") { json.value(String(argument)) }
                    }
                    json.field("status", process.state.statusLetter)
                    json.field("nice", Int(reading.nice))
                    json.field("num_threads", Int(reading.threads))
                    if objects { json.field("cpu_num", Int(reading.processor)) }
                    Self.fields(
                        "memory_info",
                        [
                            ("rss", reading.residentBytes), ("vms", reading.virtualBytes), ("shared", 0), ("text", 0),
                            ("lib", 0), ("data", 0), ("dirty", 0),
                        ], objects: objects, into: &json)
                    json.field("memory_percent", process.memoryPercent)
                    json.key("cpu_times")
                    let times: [(String, Double)] = [
                        ("user", process.userSeconds), ("system", process.systemSeconds), ("children_user", 0),
                        ("children_system", 0), ("iowait", 0),
                    ]
                    if objects {
                        json.object { json in
                            for (name, value) in times { json.field(name, value) }
                        }
                    } else {
                        json.array { json in
                            for (_, value) in times { json.value(value) }
                        }
                    }
                    Self.fields("gids", [("real", 0), ("effective", 0), ("saved", 0)], objects: objects, into: &json)
                    json.field("cpu_percent", (process.cpuPercent * 10).rounded() / 10)
                    json.key("io_counters")
                    json.array { json in
                        let io = reading.io ?? .zero
                        let previous = reading.io == nil ? .zero : process.previousIO
                        json.value(io.readBytes)
                        json.value(io.writeBytes)
                        json.value(previous.readBytes)
                        json.value(previous.writeBytes)
                        json.value(reading.io == nil ? 0 : 1)
                    }
                    json.listKey("pid")
                    json.key("time_since_update")
                    json.raw(sinceBytes)
                }
            }
        }
    }

    /// `name` as a list of the values (3.x) or an object of the named values (4.x).
    private static func fields(
        _ name: String, _ values: [(String, UInt64)], objects: Bool, into json: inout JSONWriter
    ) {
        json.key(name)
        if objects {
            json.object { json in
                for (key, value) in values { json.field(key, value) }
            }
        } else {
            json.array { json in
                for (_, value) in values { json.value(value) }
            }
        }
    }
}
