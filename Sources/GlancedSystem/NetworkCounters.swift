/// The counters of one network interface since boot: the sixteen columns of `/proc/net/dev`.
package struct NetworkInterfaceCounters: Sendable, Equatable {
    /// The interface name (`lo`, `eth0`).
    package var name: String
    /// Bytes received.
    package var receivedBytes: UInt64
    /// Bytes sent.
    package var sentBytes: UInt64
    /// Receive columns after bytes: packets, errs, drop, fifo, frame, compressed, multicast.
    package var receivedPackets: UInt64 = 0, receiveErrors: UInt64 = 0, receiveDrops: UInt64 = 0
    package var receiveFifo: UInt64 = 0, receiveFrame: UInt64 = 0, receivedCompressed: UInt64 = 0
    package var receivedMulticast: UInt64 = 0
    /// Transmit columns after bytes: packets, errs, drop, fifo, colls, carrier, compressed.
    package var sentPackets: UInt64 = 0, sendErrors: UInt64 = 0, sendDrops: UInt64 = 0, sendFifo: UInt64 = 0
    package var collisions: UInt64 = 0, carrierErrors: UInt64 = 0, sentCompressed: UInt64 = 0

    /// Creates the counters of an interface; the columns not given are 0.
    package init(name: String, receivedBytes: UInt64, sentBytes: UInt64) {
        self.name = name
        self.receivedBytes = receivedBytes
        self.sentBytes = sentBytes
    }

    /// Creates the counters from the sixteen columns of `/proc/net/dev`, in the file's order.
    package init(name: String, columns fields: [UInt64]) {
        precondition(fields.count == 16, "sixteen columns")
        self.init(name: name, receivedBytes: fields[0], sentBytes: fields[8])
        receivedPackets = fields[1]
        receiveErrors = fields[2]
        receiveDrops = fields[3]
        receiveFifo = fields[4]
        receiveFrame = fields[5]
        receivedCompressed = fields[6]
        receivedMulticast = fields[7]
        sentPackets = fields[9]
        sendErrors = fields[10]
        sendDrops = fields[11]
        sendFifo = fields[12]
        collisions = fields[13]
        carrierErrors = fields[14]
        sentCompressed = fields[15]
    }
}

/// Reads `/proc/net/dev` into one reused buffer.
package struct NetworkCountersReader {
    private var file = ProcFileReader(capacity: 8192)
    private let path: String

    /// Creates a reader of `path` (`/proc/net/dev` by default).
    package init(path: String = "/proc/net/dev") {
        self.path = path
    }

    /// Every interface, in the kernel's order; empty when the file cannot be read.
    package mutating func read() -> [NetworkInterfaceCounters] {
        file.read(path) { Self.parse($0) } ?? []
    }

    /// Parses the text of `/proc/net/dev`: two header lines, then `name: rx_bytes … (8 receive
    /// fields) tx_bytes …` per interface.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [NetworkInterfaceCounters] {
        var result: [NetworkInterfaceCounters] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer {
                lineStart = lineEnd + 1
                lineNumber += 1
            }
            guard lineNumber >= 2 else { continue }
            var colon = lineStart
            while colon < lineEnd, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < lineEnd else { continue }
            var nameStart = lineStart
            while nameStart < colon, bytes[nameStart] == UInt8(ascii: " ") { nameStart += 1 }
            guard nameStart < colon else { continue }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<colon]), as: UTF8.self)
            var at = colon + 1
            var fields = [UInt64](repeating: 0, count: 16)
            for index in 0..<16 {
                let parsed = ProcFileReader.parseUnsigned(bytes, from: at)
                guard parsed.end > at, parsed.end <= lineEnd else { break }
                fields[index] = parsed.value
                at = parsed.end
            }
            result.append(NetworkInterfaceCounters(name: name, columns: fields))
        }
        return result
    }
}
