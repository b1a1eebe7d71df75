package import GlancedSystem

/// `processcount`: how many processes there are in each state, and how many threads.
///
/// `total`, `running`, `sleeping` and `thread` are always present; every other state seen gets a key
/// named as psutil names it (`disk-sleep`, `stopped`, `tracing-stop`, `zombie`, `dead`, `idle`, …).
/// The states add up to `total`. Same scan as `processlist` (``ProcessSource``).
package struct ProcessCountPlugin: StatsPlugin {
    package static let name = "processcount"

    package static var inHistory: Bool { true }

    /// The counts of this sample's scan.
    package struct Stats: PluginStats {
        package var states: ProcessStateCounts
        package var threads: Int
        /// `/proc/sys/kernel/pid_max`.
        package var pidMax: Int

        /// Creates the value.
        package init(states: ProcessStateCounts, threads: Int, pidMax: Int = 0) {
            self.states = states
            self.threads = threads
            self.pidMax = pidMax
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                json.field("total", states.total)
                json.field("running", states[.running])
                json.field("sleeping", states[.sleeping])
                json.field("thread", threads)
                for (name, count) in states.byName where name != "running" && name != "sleeping" {
                    json.field(name, count)
                }
            }
        }
    }

    private let pidMax = HostInfo.pidMax()

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let table = refresh.value(of: ProcessSource.self)
        return Stats(states: table.states, threads: table.threadCount, pidMax: pidMax)
    }
}

extension ProcessCountPlugin.Stats {
    /// 3.x and 4.x: `total`, `running`, `sleeping`, `thread` and `pid_max`, the keys of their servers (the
    /// clients show the other states as `total − running − sleeping`).
    package func writeGlances3(into json: inout JSONWriter) {
        json.object { json in
            json.field("total", states.total)
            json.field("running", states[.running])
            json.field("sleeping", states[.sleeping])
            json.field("thread", threads)
            json.field("pid_max", pidMax)
        }
    }
}
