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

    /// Creates a set of counters.
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
            var fields = [UInt64](repeating: 0, count: 7)
            for index in 0..<7 {
                let parsed = ProcFileReader.parseUnsigned(bytes, from: at)
                guard parsed.end > at, parsed.end <= lineEnd else { break }
                fields[index] = parsed.value
                at = parsed.end
            }
            result.append(
                DiskCounters(
                    name: name, readCount: fields[0], writeCount: fields[4],
                    readBytes: fields[2] &* 512, writeBytes: fields[6] &* 512
                )
            )
        }
        return result
    }
}
