import GlancedSystem

/// `processlist`: one object per process (not per thread), sorted by pid, from this sample's scan.
///
/// `cpu_percent` and the previous io counters are relative to the previous sample, matched by pid and
/// start time, so a reused pid starts afresh. `time_since_update` is the int `1` on the first sample.
package struct ProcessListPlugin: StatsPlugin {
    package static let name = "processlist"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let table = refresh.value(of: ProcessSource.self)
        // The same for every process: rendered once.
        var since = JSONWriter(capacity: 24)
        if let interval = table.interval { since.value(interval) } else { since.value(1) }
        let sinceBytes = since.bytes
        json.array { json in
            for process in table.processes {
                json.object { json in
                    json.field("pid", Int(process.pid))
                    json.field("name", process.name)
                    json.field("username", process.userName)
                    json.field("cmdline", process.cmdline)
                    json.field("status", process.state.statusLetter)
                    json.field("nice", Int(process.nice))
                    json.key("memory_info")
                    json.array { json in
                        json.value(process.residentBytes)
                        json.value(process.virtualBytes)
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
                        let io = process.io ?? .zero
                        let previous = process.io == nil ? .zero : process.previousIO
                        json.value(io.readBytes)
                        json.value(io.writeBytes)
                        json.value(previous.readBytes)
                        json.value(previous.writeBytes)
                        json.value(process.io == nil ? 0 : 1)
                    }
                    json.key("time_since_update")
                    json.raw(sinceBytes)
                }
            }
        }
    }
}
