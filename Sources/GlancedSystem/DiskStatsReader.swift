/// The I/O counters of one block device since boot, from `/proc/diskstats`.
package struct DiskCounters: Sendable, Equatable {
    /// The device name (`sda`, `sda1`, `nvme0n1`, `vda`).
    package var name: String
    /// Reads completed.
    package var readCount: UInt64
    /// Writes completed.
    package var writeCount: UInt64
    /// Bytes read (sectors read × 512: the kernel counts 512-byte sectors whatever the device).
    package var readBytes: UInt64
    /// Bytes written (sectors written × 512).
    package var writeBytes: UInt64

    /// Reads and writes merged with adjacent ones before they reached the device.
    package var readsMerged: UInt64 = 0, writesMerged: UInt64 = 0
    /// Milliseconds spent reading and writing (summed over the requests).
    package var readTimeMs: UInt64 = 0, writeTimeMs: UInt64 = 0
    /// Requests in progress now (a gauge).
    package var ioInProgress: UInt64 = 0
    /// Milliseconds the device was busy, and the busy time weighted by the requests in flight.
    package var ioTimeMs: UInt64 = 0, weightedIoTimeMs: UInt64 = 0
    /// Discards completed and merged, bytes discarded (sectors × 512), milliseconds spent (kernel ≥ 4.18).
    package var discards: UInt64 = 0, discardsMerged: UInt64 = 0, discardedBytes: UInt64 = 0
    package var discardTimeMs: UInt64 = 0
    /// Flush requests completed and milliseconds spent (kernel ≥ 5.5).
    package var flushes: UInt64 = 0, flushTimeMs: UInt64 = 0
    /// How many columns after the name the kernel wrote (11, 15 or 17): which of the fields above are real.
    package var columns: Int = 11

    /// Creates a set of counters; the others are 0.
    package init(name: String, readCount: UInt64, writeCount: UInt64, readBytes: UInt64, writeBytes: UInt64) {
        self.name = name
        self.readCount = readCount
        self.writeCount = writeCount
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }

    /// Whether the device has never been read or written (an unused loop or ram device).
    package var isUnused: Bool { readCount == 0 && writeCount == 0 && readBytes == 0 && writeBytes == 0 }
}

/// Reads `/proc/diskstats` into one reused buffer.
package struct DiskStatsReader {
    private var file = ProcFileReader(capacity: 8192)
    private let path: String

    /// Creates a reader of `path` (`/proc/diskstats` by default).
    package init(path: String = "/proc/diskstats") {
        self.path = path
    }

    /// Every block device and partition, in the kernel's order; empty when the file cannot be read.
    package mutating func read() -> [DiskCounters] {
        file.read(path) { Self.parse($0) } ?? []
    }

    /// Parses the text of `/proc/diskstats`: `major minor name reads merged sectors ms writes merged
    /// sectors …` per device.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [DiskCounters] {
        var result: [DiskCounters] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var at = lineStart
            for _ in 0..<2 { at = ProcFileReader.parseUnsigned(bytes, from: at).end }
            while at < lineEnd, bytes[at] == UInt8(ascii: " ") { at += 1 }
            let nameStart = at
            while at < lineEnd, bytes[at] != UInt8(ascii: " ") { at += 1 }
            guard at > nameStart else { continue }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<at]), as: UTF8.self)
            var fields = [UInt64](repeating: 0, count: 17)
            var columns = 0
            for index in 0..<17 {
                let parsed = ProcFileReader.parseUnsigned(bytes, from: at)
                guard parsed.end > at, parsed.end <= lineEnd else { break }
                fields[index] = parsed.value
                at = parsed.end
                columns += 1
            }
            var counters = DiskCounters(
                name: name, readCount: fields[0], writeCount: fields[4],
                readBytes: fields[2] &* 512, writeBytes: fields[6] &* 512
            )
            counters.readsMerged = fields[1]
            counters.readTimeMs = fields[3]
            counters.writesMerged = fields[5]
            counters.writeTimeMs = fields[7]
            counters.ioInProgress = fields[8]
            counters.ioTimeMs = fields[9]
            counters.weightedIoTimeMs = fields[10]
            counters.discards = fields[11]
            counters.discardsMerged = fields[12]
            counters.discardedBytes = fields[13] &* 512
            counters.discardTimeMs = fields[14]
            counters.flushes = fields[15]
            counters.flushTimeMs = fields[16]
            counters.columns = columns
            result.append(counters)
        }
        return result
    }
}
