internal import CGlanced
internal import Glibc

/// Reads every process (not threads) once per call: libproc2's pids reap for what `/proc/PID/stat`
/// holds, then `/proc/PID/io` and, when needed, `/proc/PID/cmdline`.
///
/// The reap-and-copy loop is C (`glanced_procs_reap`, `glanced_procs_copy`, `glanced_procs_details`)
/// writing into buffers this object owns and reuses from scan to scan. Two reads are saved:
/// - kernel threads have no cmdline and no io accounting: neither file is read for them;
/// - a cmdline is kept from scan to scan while the process has not called `exec` (same pid, start
///   time, name and stack address, which address-space randomisation moves at every `exec`), and is
///   re-read every ``cmdlineRefreshInterval`` scans (spread over pids) for the processes that rewrite
///   their arguments in place.
///
/// Processes that exit during the scan are left out. A scanner is not thread-safe: keep it in one
/// isolation domain.
package final class ProcessScanner {
    /// Clock ticks per second, the unit of the kernel's CPU times (`sysconf(_SC_CLK_TCK)`).
    package static let ticksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    /// A known cmdline is re-read after this many scans (at most; spread over the processes).
    package let cmdlineRefreshInterval: Int

    private struct KnownCmdline {
        var pid: Int32
        var startTicks: UInt64
        var stackStart: UInt64
        var name: String
        var cmdline: String
    }

    private let procs: OpaquePointer
    private var rows: UnsafeMutableBufferPointer<glanced_proc_row>
    private var arena: UnsafeMutableBufferPointer<CChar>
    /// The cmdlines of the last scan, by ascending pid.
    private var known: [KnownCmdline] = []
    private let users = UserNames()
    private var scans = 0
    /// Kernel threads' io is all zero; it counts as readable when we could read it (root).
    private let kernelThreadIO: ProcessIO? = geteuid() == 0 ? .zero : nil

    /// Opens a libproc2 pids context and `/proc`.
    ///
    /// - Parameter cmdlineRefreshInterval: scans after which a known cmdline is read again (≥ 1;
    ///   1 reads every cmdline on every scan).
    /// - Returns: nil when libproc2 cannot be set up (no `/proc`). The corresponding libproc2 call is
    ///   `procps_pids_new`.
    package init?(cmdlineRefreshInterval: Int = 10) {
        guard let procs = glanced_procs_new() else { return nil }
        self.procs = procs
        self.cmdlineRefreshInterval = max(1, cmdlineRefreshInterval)
        rows = .allocate(capacity: 512)
        arena = .allocate(capacity: 1 << 16)
    }

    deinit {
        glanced_procs_free(procs)
        rows.deallocate()
        arena.deallocate()
    }

    /// Reads every process, sorted by pid.
    ///
    /// Never fails: a process that vanishes mid-scan is left out, an io file that is refused gives
    /// `io == nil`, and a failed reap gives an empty list.
    package func scan() -> [ProcessReading] {
        scans &+= 1
        let reaped = glanced_procs_reap(procs)
        guard reaped > 0 else { return [] }
        let count = Int(reaped)
        if rows.count < count {
            rows.deallocate()
            rows = .allocate(capacity: count + count / 4 + 64)
        }
        glanced_procs_copy(procs, rows.baseAddress, reaped)
        var scanned = UnsafeMutableBufferPointer(rebasing: rows[0..<count])
        if !Self.isSortedByPID(scanned) { scanned.sort { $0.pid < $1.pid } }

        let names = markReads(scanned)
        readDetails(count: count)
        return collect(scanned, names: names)
    }

    /// Decides which files each row needs and decodes the names; returns the names, index-aligned.
    private func markReads(_ scanned: UnsafeMutableBufferPointer<glanced_proc_row>) -> [String] {
        var names: [String] = []
        names.reserveCapacity(scanned.count)
        var cursor = 0
        for index in scanned.indices {
            let name = Self.comm(of: scanned[index])
            names.append(name)
            let flags = scanned[index].flags
            if flags & UInt32(GLANCED_PROC_KTHREAD) != 0 { continue }
            var wanted = UInt32(GLANCED_PROC_WANT_IO)
            let pid = scanned[index].pid
            while cursor < known.count, known[cursor].pid < pid { cursor += 1 }
            let zombie = scanned[index].state == CChar(UInt8(ascii: "Z"))
            if !zombie {
                let cached =
                    cursor < known.count && known[cursor].pid == pid
                    && known[cursor].startTicks == scanned[index].start_time
                    && known[cursor].stackStart == scanned[index].stack_start && known[cursor].name == name
                let due = (Int(pid) &+ scans) % cmdlineRefreshInterval == 0
                if !cached || due { wanted |= UInt32(GLANCED_PROC_WANT_CMDLINE) }
            }
            scanned[index].flags = flags | wanted
        }
        return names
    }

    /// Reads the marked cmdline and io files, growing the arena when a cmdline does not fit.
    private func readDetails(count: Int) {
        var used = 0
        var next: Int32 = 0
        while true {
            next = glanced_procs_details(
                procs, rows.baseAddress, next, Int32(count), arena.baseAddress, arena.count, &used)
            if Int(next) >= count { return }
            let grown = UnsafeMutableBufferPointer<CChar>.allocate(capacity: arena.count * 2)
            _ = grown.initialize(from: arena)
            arena.deallocate()
            arena = grown
        }
    }

    /// Turns the rows into readings and remembers this scan's cmdlines.
    private func collect(_ scanned: UnsafeMutableBufferPointer<glanced_proc_row>, names: [String]) -> [ProcessReading] {
        var readings: [ProcessReading] = []
        readings.reserveCapacity(scanned.count)
        var remembered: [KnownCmdline] = []
        remembered.reserveCapacity(scanned.count)
        var cursor = 0
        for index in scanned.indices {
            let row = scanned[index]
            if row.flags & UInt32(GLANCED_PROC_VANISHED) != 0 { continue }
            let kernelThread = row.flags & UInt32(GLANCED_PROC_KTHREAD) != 0
            var cmdline = ""
            if !kernelThread && row.state != CChar(UInt8(ascii: "Z")) {
                if row.flags & UInt32(GLANCED_PROC_CMDLINE_READ) != 0 {
                    cmdline = decodeCmdline(row)
                    // An empty one is not kept: a process caught inside exec (its new name set, its arguments
                    // not yet in place) reads as empty, and would keep that until the next refresh.
                    if !cmdline.isEmpty {
                        remembered.append(
                            KnownCmdline(
                                pid: row.pid, startTicks: row.start_time, stackStart: row.stack_start,
                                name: names[index], cmdline: cmdline))
                    }
                } else if row.flags & UInt32(GLANCED_PROC_WANT_CMDLINE) == 0 {
                    while cursor < known.count, known[cursor].pid < row.pid { cursor += 1 }
                    if cursor < known.count, known[cursor].pid == row.pid {
                        cmdline = known[cursor].cmdline
                        remembered.append(known[cursor])
                    }
                }
            }
            let io: ProcessIO?
            if kernelThread {
                io = kernelThreadIO
            } else if row.flags & UInt32(GLANCED_PROC_IO_READ) != 0 {
                io = ProcessIO(readBytes: row.io_read_bytes, writeBytes: row.io_write_bytes)
            } else {
                io = nil
            }
            readings.append(
                ProcessReading(
                    pid: row.pid, parentPID: row.ppid, state: UInt8(bitPattern: row.state), nice: row.nice,
                    threads: row.threads, userTicks: row.utime, systemTicks: row.stime, startTicks: row.start_time,
                    residentBytes: row.rss_bytes, virtualBytes: row.vms_bytes, userID: row.euid,
                    userName: users.name(of: row.euid), name: names[index], cmdline: cmdline,
                    isKernelThread: kernelThread, io: io
                )
            )
            readings[readings.count - 1].processor = row.processor
        }
        known = remembered
        return readings
    }

    private func decodeCmdline(_ row: glanced_proc_row) -> String {
        let start = Int(row.cmdline_offset)
        let bytes = UnsafeRawBufferPointer(
            rebasing: UnsafeRawBufferPointer(arena)[start..<(start + Int(row.cmdline_length))])
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func comm(of row: glanced_proc_row) -> String {
        withUnsafeBytes(of: row.comm) { raw in
            let length = raw.firstIndex(of: 0) ?? raw.count
            return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<length]), as: UTF8.self)
        }
    }

    private static func isSortedByPID(_ rows: UnsafeMutableBufferPointer<glanced_proc_row>) -> Bool {
        var previous = Int32.min
        for row in rows {
            if row.pid <= previous { return false }
            previous = row.pid
        }
        return true
    }
}
