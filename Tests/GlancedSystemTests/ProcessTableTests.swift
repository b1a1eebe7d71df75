import GlancedSystem
import Testing

@Suite struct ProcessTableTests {
    private func reading(
        pid: Int32, start: UInt64 = 100, user: UInt64 = 0, system: UInt64 = 0, state: Character = "S",
        threads: Int32 = 1, rss: UInt64 = 0, io: ProcessIO? = .zero
    ) -> ProcessReading {
        ProcessReading(
            pid: pid, state: state.asciiValue ?? 0, threads: threads, userTicks: user, systemTicks: system,
            startTicks: start, residentBytes: rss, io: io)
    }

    @Test func firstSampleHasNoIntervalAndNoCPU() {
        let table = ProcessTable(
            readings: [reading(pid: 1, user: 500, system: 500)], previous: nil, monotonic: 10, memoryTotal: 1000,
            ticksPerSecond: 100)
        #expect(table.interval == nil)
        #expect(table.processes[0].cpuPercent == 0)
        #expect(table.processes[0].previousIO == .zero)
    }

    @Test func cpuPercentIsTicksOverWallTime() {
        let first = ProcessTable(
            readings: [reading(pid: 7, user: 100, system: 50)], previous: nil, monotonic: 10, memoryTotal: 1000,
            ticksPerSecond: 100)
        // 150 more ticks (1.5 s of CPU) in 0.5 s: 300 % of one CPU.
        let second = ProcessTable(
            readings: [reading(pid: 7, user: 200, system: 100)], previous: first, monotonic: 10.5, memoryTotal: 1000,
            ticksPerSecond: 100)
        #expect(second.interval == 0.5)
        #expect(abs(second.processes[0].cpuPercent - 300) < 1e-9)
        #expect(second.processes[0].userSeconds == 2.0)
        #expect(second.processes[0].systemSeconds == 1.0)
    }

    @Test func aReusedPidDoesNotInheritCounters() {
        let old = ProcessIO(readBytes: 1000, writeBytes: 2000)
        let first = ProcessTable(
            readings: [reading(pid: 42, start: 100, user: 10, io: old)], previous: nil, monotonic: 1, memoryTotal: 1,
            ticksPerSecond: 100)
        let sameProcess = ProcessTable(
            readings: [reading(pid: 42, start: 100, user: 60, io: ProcessIO(readBytes: 1500, writeBytes: 2000))],
            previous: first, monotonic: 2, memoryTotal: 1, ticksPerSecond: 100)
        #expect(sameProcess.processes[0].cpuPercent == 50)
        #expect(sameProcess.processes[0].previousIO == old)
        // Pid 42 again, but another process (another start time).
        let reused = ProcessTable(
            readings: [reading(pid: 42, start: 999, user: 500, io: ProcessIO(readBytes: 9, writeBytes: 9))],
            previous: sameProcess, monotonic: 3, memoryTotal: 1, ticksPerSecond: 100)
        #expect(reused.processes[0].cpuPercent == 0)
        #expect(reused.processes[0].previousIO == .zero)
    }

    @Test func mergesByPidAcrossArrivalsAndExits() {
        let first = ProcessTable(
            readings: [reading(pid: 1, user: 0), reading(pid: 5, user: 0), reading(pid: 9, user: 0)], previous: nil,
            monotonic: 0, memoryTotal: 1, ticksPerSecond: 100)
        let second = ProcessTable(
            readings: [reading(pid: 1, user: 10), reading(pid: 3, user: 10), reading(pid: 9, user: 20)],
            previous: first, monotonic: 1, memoryTotal: 1, ticksPerSecond: 100)
        #expect(second.processes.map(\.pid) == [1, 3, 9])
        #expect(second.processes.map(\.cpuPercent) == [10, 0, 20])
    }

    @Test func unreadableIoHasNoPreviousCounters() {
        let first = ProcessTable(
            readings: [reading(pid: 2, io: ProcessIO(readBytes: 5, writeBytes: 5))], previous: nil, monotonic: 0,
            memoryTotal: 1, ticksPerSecond: 100)
        let second = ProcessTable(
            readings: [reading(pid: 2, io: nil)], previous: first, monotonic: 1, memoryTotal: 1, ticksPerSecond: 100)
        #expect(second.processes[0].io == nil)
        #expect(second.processes[0].previousIO == .zero)
    }

    @Test func memoryPercentIsResidentOverTotal() {
        let table = ProcessTable(
            readings: [reading(pid: 1, rss: 250)], previous: nil, monotonic: 0, memoryTotal: 1000, ticksPerSecond: 100)
        #expect(table.processes[0].memoryPercent == 25)
        let noTotal = ProcessTable(
            readings: [reading(pid: 1, rss: 250)], previous: nil, monotonic: 0, memoryTotal: 0, ticksPerSecond: 100)
        #expect(noTotal.processes[0].memoryPercent == 0)
    }

    @Test func statesAndThreadsAddUp() {
        let letters: [Character] = ["R", "S", "S", "D", "Z", "T", "t", "I", "I", "X", "x", "K", "W", "P", "?"]
        let table = ProcessTable(
            readings: letters.enumerated().map { reading(pid: Int32($0.offset + 1), state: $0.element, threads: 2) },
            previous: nil, monotonic: 0, memoryTotal: 1, ticksPerSecond: 100)
        #expect(table.states.total == letters.count)
        #expect(table.threadCount == 2 * letters.count)
        let byName = Dictionary(uniqueKeysWithValues: table.states.byName.map { ($0.name, $0.count) })
        #expect(
            byName == [
                "running": 1, "sleeping": 2, "disk-sleep": 1, "zombie": 1, "stopped": 1, "tracing-stop": 1,
                "idle": 2, "dead": 2, "wake-kill": 1, "waking": 1, "parked": 1, "?": 1,
            ])
        #expect(table.states.byName.map(\.count).reduce(0, +) == table.states.total)
    }

    @Test(arguments: [
        ("R", "R"), ("S", "S"), ("D", "D"), ("Z", "Z"), ("T", "T"), ("t", "T"), ("X", "X"), ("x", "X"),
        ("I", "I"), ("W", "W"), ("K", "W"), ("P", "P"), ("?", "?"),
    ])
    func statusIsOneUpperCaseLetter(kernel: String, status: String) {
        #expect(ProcessState(kernelLetter: kernel.utf8.first ?? 0).statusLetter == status)
    }
}
