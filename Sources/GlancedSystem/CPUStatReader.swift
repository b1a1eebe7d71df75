internal import CProc2
internal import Glibc

/// Jiffies one CPU (or all of them) spent in each mode since boot, from `/proc/stat`.
package struct CPUTicks: Sendable, Equatable {
    package var user: UInt64 = 0
    package var nice: UInt64 = 0
    package var system: UInt64 = 0
    package var idle: UInt64 = 0
    package var iowait: UInt64 = 0
    package var irq: UInt64 = 0
    package var softirq: UInt64 = 0
    package var steal: UInt64 = 0
    package var guest: UInt64 = 0
    package var guestNice: UInt64 = 0

    /// Creates a zero sample (the baseline before the first read).
    package init() {}

    /// The eight modes that partition CPU time (guest time is already inside user and nice).
    package var total: UInt64 { user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal }
}

/// One read of `/proc/stat`: CPU ticks for the whole machine and per logical CPU, plus event counters.
package struct CPUStatSample: Sendable, Equatable {
    /// The `cpu` line: all CPUs together.
    package var all = CPUTicks()
    /// The `cpuN` lines, in CPU number order.
    package var perCPU: [CPUTicks] = []
    /// Context switches since boot (`ctxt`).
    package var contextSwitches: UInt64 = 0
    /// Interrupts since boot (`intr`, first number).
    package var interrupts: UInt64 = 0
    /// Soft interrupts since boot (`softirq`, first number).
    package var softInterrupts: UInt64 = 0
    /// Processes and threads created since boot (`processes`).
    package var forks: UInt64 = 0
    /// Tasks runnable now (`procs_running`) and blocked on I/O now (`procs_blocked`).
    package var running: UInt64 = 0, blocked: UInt64 = 0
    /// Boot time, seconds since the epoch (`btime`).
    package var bootTime: UInt64 = 0

    /// Creates an empty sample.
    package init() {}
}

/// Reads `/proc/stat` through libproc2's stat interface.
///
/// The corresponding libproc2 call is `procps_stat_reap`, which reads the file afresh on every call.
/// libproc2 has no item for the `softirq` line, so that one number is read from the same file here.
/// A reader owns its libproc2 context: keep it in one isolation domain.
package final class CPUStatReader {
    private var info: OpaquePointer?
    private var items: [stat_item] = [
        STAT_TIC_ID, STAT_TIC_USER, STAT_TIC_NICE, STAT_TIC_SYSTEM, STAT_TIC_IDLE, STAT_TIC_IOWAIT,
        STAT_TIC_IRQ, STAT_TIC_SOFTIRQ, STAT_TIC_STOLEN, STAT_TIC_GUEST, STAT_TIC_GUEST_NICE,
        STAT_SYS_CTX_SWITCHES, STAT_SYS_INTERRUPTS, STAT_SYS_PROC_CREATED, STAT_SYS_PROC_RUNNING,
        STAT_SYS_PROC_BLOCKED, STAT_SYS_TIME_OF_BOOT,
    ]
    private var file = ProcFileReader(capacity: 16_384)

    /// Opens the libproc2 context; on failure every read is empty.
    package init() {
        if procps_stat_new(&info) < 0 { info = nil }
    }

    deinit {
        if info != nil { procps_stat_unref(&info) }
    }

    /// Reads the current counters.
    package func read() -> CPUStatSample {
        var sample = CPUStatSample()
        guard let info, let reaped = procps_stat_reap(info, STAT_REAP_CPUS_ONLY, &items, Int32(items.count)) else {
            return sample
        }
        if let summary = reaped.pointee.summary {
            sample.all = Self.ticks(summary.pointee.head)
            sample.contextSwitches = UInt64(summary.pointee.head[11].result.ul_int)
            sample.interrupts = UInt64(summary.pointee.head[12].result.ul_int)
            sample.forks = UInt64(summary.pointee.head[13].result.ul_int)
            sample.running = UInt64(summary.pointee.head[14].result.ul_int)
            sample.blocked = UInt64(summary.pointee.head[15].result.ul_int)
            sample.bootTime = UInt64(summary.pointee.head[16].result.ul_int)
        }
        if let cpus = reaped.pointee.cpus, let stacks = cpus.pointee.stacks {
            let count = Int(cpus.pointee.total)
            var rows: [(id: Int32, ticks: CPUTicks)] = []
            rows.reserveCapacity(count)
            for index in 0..<count {
                guard let stack = stacks[index] else { continue }
                rows.append((stack.pointee.head[0].result.s_int, Self.ticks(stack.pointee.head)))
            }
            rows.sort { $0.id < $1.id }
            sample.perCPU = rows.map(\.ticks)
        }
        sample.softInterrupts = readSoftInterrupts()
        return sample
    }

    private static func ticks(_ head: UnsafeMutablePointer<stat_result>) -> CPUTicks {
        var ticks = CPUTicks()
        ticks.user = UInt64(head[1].result.ull_int)
        ticks.nice = UInt64(head[2].result.ull_int)
        ticks.system = UInt64(head[3].result.ull_int)
        ticks.idle = UInt64(head[4].result.ull_int)
        ticks.iowait = UInt64(head[5].result.ull_int)
        ticks.irq = UInt64(head[6].result.ull_int)
        ticks.softirq = UInt64(head[7].result.ull_int)
        ticks.steal = UInt64(head[8].result.ull_int)
        ticks.guest = UInt64(head[9].result.ull_int)
        ticks.guestNice = UInt64(head[10].result.ull_int)
        return ticks
    }

    private func readSoftInterrupts() -> UInt64 {
        file.read("/proc/stat") { bytes in
            // Find "\nsoftirq " and parse the number after it.
            let key = Array("\nsoftirq ".utf8)
            var index = 0
            while index + key.count <= bytes.count {
                if bytes[index] == key[0], bytes[index + 1] == key[1],
                    Array(bytes[index..<(index + key.count)]) == key
                {
                    return ProcFileReader.parseUnsigned(bytes, from: index + key.count).value
                }
                index += 1
            }
            return 0
        } ?? 0
    }
}
