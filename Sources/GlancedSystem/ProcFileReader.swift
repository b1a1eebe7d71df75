internal import Glibc

/// Reads small kernel files (`/proc`, `/sys`) into one reused buffer: no allocation per read.
package struct ProcFileReader {
    private var buffer: [UInt8]

    /// Creates a reader whose buffer starts at `capacity` bytes and grows when a file is larger.
    package init(capacity: Int = 4096) {
        buffer = [UInt8](repeating: 0, count: max(capacity, 64))
    }

    /// Reads the whole file at `path` and hands its bytes to `body`; nil when the file cannot be read.
    ///
    /// The corresponding C calls are `open`, `read` and `close`; `EINTR` is retried.
    package mutating func read<T>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var length = 0
        while true {
            if length == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let got = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + length, raw.count - length)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            length += got
        }
        return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<length])) }
    }

    /// Reads the file at `path` as text (trailing newline kept); nil when it cannot be read.
    package mutating func readString(_ path: String) -> String? {
        read(path) { String(decoding: $0, as: UTF8.self) }
    }

    /// Parses the decimal digits at `start`, skipping leading spaces.
    ///
    /// - Returns: the value and the index just past its last digit.
    package static func parseUnsigned(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: UInt64, end: Int)
    {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        var value: UInt64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        return (value, index)
    }
}
