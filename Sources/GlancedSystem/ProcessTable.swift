/// One process of a sample: what the scan read, plus the figures relative to the previous sample.
///
/// The scan's fields (`pid`, `name`, `cmdline`, `userTicks`, `io`, …) read straight through from
/// ``reading``.
@dynamicMemberLookup
package struct ProcessEntry: Sendable, Equatable {
    /// What the scan read.
    package var reading: ProcessReading
    /// The same io counters at the previous sample; zero when the process is new (or io is unreadable).
    package var previousIO: ProcessIO = .zero
    /// CPU time used between the last two samples, in % of one CPU (may exceed 100); 0 when new.
    package var cpuPercent: Double = 0
    /// Resident memory in % of the machine's RAM.
    package var memoryPercent: Double = 0

    /// An entry for `reading` with no history: no CPU use, previous io zero.
    package init(_ reading: ProcessReading) {
        self.reading = reading
    }

    /// A field of the scan.
    package subscript<Value>(dynamicMember field: KeyPath<ProcessReading, Value>) -> Value {
        reading[keyPath: field]
    }

    /// The process state, with its Glances and psutil names.
    package var state: ProcessState { ProcessState(kernelLetter: reading.state) }
    /// User-mode CPU time, seconds.
    package var userSeconds: Double { Double(reading.userTicks) / ProcessScanner.ticksPerSecond }
    /// Kernel-mode CPU time, seconds.
    package var systemSeconds: Double { Double(reading.systemTicks) / ProcessScanner.ticksPerSecond }
}

/// A process state, from the kernel's letter, with the names psutil and Glances give it.
package struct ProcessState: Sendable, Hashable {
    /// The kernel's letter, as ASCII.
    package var kernelLetter: UInt8

    /// The state for a letter of `/proc/PID/stat`.
    package init(kernelLetter: UInt8) {
        self.kernelLetter = kernelLetter
    }

    /// Running or runnable (`R`).
    package static let running = ProcessState(kernelLetter: UInt8(ascii: "R"))
    /// Interruptible sleep (`S`).
    package static let sleeping = ProcessState(kernelLetter: UInt8(ascii: "S"))
    /// Exited, not yet reaped (`Z`).
    package static let zombie = ProcessState(kernelLetter: UInt8(ascii: "Z"))

    /// psutil's status name: `running`, `sleeping`, `disk-sleep`, `stopped`, `tracing-stop`, `zombie`,
    /// `dead`, `idle`, `wake-kill`, `waking`, `parked`; `"?"` for a letter it does not know.
    package var psutilName: String {
        switch kernelLetter {
        case UInt8(ascii: "R"): "running"
        case UInt8(ascii: "S"): "sleeping"
        case UInt8(ascii: "D"): "disk-sleep"
        case UInt8(ascii: "T"): "stopped"
        case UInt8(ascii: "t"): "tracing-stop"
        case UInt8(ascii: "Z"): "zombie"
        case UInt8(ascii: "X"), UInt8(ascii: "x"): "dead"
        case UInt8(ascii: "I"): "idle"
        case UInt8(ascii: "K"): "wake-kill"
        case UInt8(ascii: "W"): "waking"
        case UInt8(ascii: "P"): "parked"
        default: "?"
        }
    }

    /// The one upper-case letter of the `status` field: the kernel's letter, with tracing stop shown
    /// as `T`, dead as `X`, wake-kill as `W` (psutil's name, first letter); `"?"` when unknown.
    package var statusLetter: String {
        switch kernelLetter {
        case UInt8(ascii: "R"): "R"
        case UInt8(ascii: "S"): "S"
        case UInt8(ascii: "D"): "D"
        case UInt8(ascii: "Z"): "Z"
        case UInt8(ascii: "T"), UInt8(ascii: "t"): "T"
        case UInt8(ascii: "X"), UInt8(ascii: "x"): "X"
        case UInt8(ascii: "I"): "I"
        case UInt8(ascii: "W"), UInt8(ascii: "K"): "W"
        case UInt8(ascii: "P"): "P"
        default: "?"
        }
    }
}

/// How many processes are in each state.
package struct ProcessStateCounts: Sendable, Equatable {
    /// Counts indexed by the kernel letter (ASCII 0…127).
    private var counts = [Int](repeating: 0, count: 128)

    /// All zero.
    package init() {}

    /// The number of processes in `state`.
    package subscript(state: ProcessState) -> Int {
        state.kernelLetter < 128 ? counts[Int(state.kernelLetter)] : 0
    }

    /// Counts one more process whose kernel letter is `letter`.
    package mutating func add(_ letter: UInt8) {
        counts[Int(letter & 0x7F)] += 1
    }

    /// Every process counted.
    package var total: Int { counts.reduce(0, +) }

    /// The counts by psutil name, only names with at least one process: `running`, `sleeping`,
    /// `disk-sleep`, `stopped`, `tracing-stop`, `zombie`, `dead` (`X` and `x`), `idle`, `wake-kill`,
    /// `waking`, `parked`, then `"?"` for letters psutil does not know.
    package var byName: [(name: String, count: Int)] {
        var result: [(name: String, count: Int)] = []
        var known = 0
        for letter in "RSDTtZXxIKWP".utf8 {
            let count = counts[Int(letter)]
            known += count
            guard count > 0 else { continue }
            let name = ProcessState(kernelLetter: letter).psutilName
            if let index = result.firstIndex(where: { $0.name == name }) {
                result[index].count += count
            } else {
                result.append((name, count))
            }
        }
        let unknown = total - known
        if unknown > 0 { result.append(("?", unknown)) }
        return result
    }
}

/// Every process at one sample, sorted by pid, with CPU and io figures relative to the previous sample.
///
/// Shared by `processlist`, `processcount` and `monitor`: one scan per sample.
package struct ProcessTable: Sendable {
    /// The processes, by ascending pid.
    package var processes: [ProcessEntry]
    /// Seconds since the previous sample; nil on the first one.
    package var interval: Double?
    /// The sample's monotonic time, seconds.
    package var monotonic: Double
    /// Processes per state.
    package var states: ProcessStateCounts
    /// The sum of every process's thread count.
    package var threadCount: Int

    /// An empty table (no sample yet).
    package init() {
        processes = []
        interval = nil
        monotonic = 0
        states = ProcessStateCounts()
        threadCount = 0
    }

    /// Builds this sample's table from a scan and the previous table.
    ///
    /// A process inherits counters from the previous table only when both its pid and its start time
    /// match: a reused pid starts afresh (CPU 0 %, previous io zero).
    ///
    /// - Parameters:
    ///   - readings: the scan, sorted by pid.
    ///   - previous: the last sample's table, or nil on the first sample.
    ///   - monotonic: this sample's monotonic time, seconds.
    ///   - memoryTotal: RAM in bytes, for ``ProcessEntry/memoryPercent`` (0 gives 0 %).
    ///   - ticksPerSecond: the unit of the CPU times.
    package init(
        readings: [ProcessReading], previous: ProcessTable?, monotonic: Double, memoryTotal: UInt64,
        ticksPerSecond: Double = ProcessScanner.ticksPerSecond
    ) {
        self.monotonic = monotonic
        interval = previous.map { monotonic - $0.monotonic }
        states = ProcessStateCounts()
        threadCount = 0
        processes = []
        processes.reserveCapacity(readings.count)
        let old = previous?.processes ?? []
        let percentPerTick = interval.map { $0 > 0 ? 100 / (ticksPerSecond * $0) : 0 } ?? 0
        let memoryScale = memoryTotal > 0 ? 100 / Double(memoryTotal) : 0
        var cursor = 0
        for reading in readings {
            var entry = ProcessEntry(reading)
            entry.memoryPercent = Double(reading.residentBytes) * memoryScale
            while cursor < old.count, old[cursor].pid < reading.pid { cursor += 1 }
            if cursor < old.count, old[cursor].pid == reading.pid, old[cursor].startTicks == reading.startTicks {
                let before = old[cursor]
                let now = reading.userTicks &+ reading.systemTicks
                let then = before.userTicks &+ before.systemTicks
                entry.cpuPercent = now > then ? Double(now - then) * percentPerTick : 0
                if reading.io != nil, let io = before.io { entry.previousIO = io }
            }
            states.add(reading.state)
            threadCount += Int(reading.threads)
            processes.append(entry)
        }
    }
}
