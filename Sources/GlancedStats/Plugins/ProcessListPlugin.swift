package import GlancedSystem

/// `processlist`: one object per process (not per thread), sorted by pid, from this sample's scan.
///
/// `cpu_percent` and the previous io counters are relative to the previous sample, matched by pid and
/// start time, so a reused pid starts afresh. `time_since_update` is the int `1` on the first sample.
package struct ProcessListPlugin: StatsPlugin {
    package static let name = "processlist"

    package static var inHistory: Bool { false }

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
