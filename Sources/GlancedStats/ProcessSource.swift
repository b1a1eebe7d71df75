package import GlancedSystem

/// Every process, scanned once per sample and shared by `processlist`, `processcount` and `monitor`.
///
/// The value is a ``ProcessTable``: the processes sorted by pid with `cpuPercent` (from the CPU
/// ticks used since the previous sample), `memoryPercent` (of `MemTotal`, from ``MemorySource``),
/// this and the previous sample's io counters, user names and cmdlines, plus the per-state counts and
/// the thread total. The source keeps the previous table as the baseline of the next one.
package final class ProcessSource: SharedSource {
    private let scanner: ProcessScanner?
    private var last: ProcessTable?

    /// Opens the process scanner (a libproc2 context); without one every table is empty.
    package init(configuration: PluginConfiguration) {
        scanner = ProcessScanner()
    }

    /// Scans the processes and computes their figures relative to the previous sample.
    package func read(_ refresh: Refresh) -> ProcessTable {
        guard let scanner else { return ProcessTable() }
        let memory = refresh.value(of: MemorySource.self)
        let table = ProcessTable(
            readings: scanner.scan(), previous: last, monotonic: refresh.monotonic, memoryTotal: memory.total)
        last = table
        return table
    }
}
