package import NIOCore

/// Says whether a reply may still be sent again, byte for byte, to the same request bytes: e.g. while the sample it
/// was made from is still the one a new request would be answered from. Checked at every replay, on the event loop.
package protocol ReplayCondition: Sendable {
    /// Whether the reply is still the one the responder would give.
    func holds() -> Bool
}

/// A reply that never goes stale (a file built into the program).
package struct AlwaysReplayable: ReplayCondition {
    package init() {}

    package func holds() -> Bool {
        true
    }
}

/// The replies of one event loop's connections to repeated requests: the exact bytes of a request that arrived as
/// one whole read, and the exact bytes written in reply (status line, fields and body), for as long as the
/// responder's ``ReplayCondition`` holds. A poller asking the same thing every second, or a load test, is answered
/// by a comparison and one write, without NIO's HTTP decoder, the route, the responder or the encoder
/// (``RequestIntake``).
///
/// Bounded: at most ``maxEntries`` entries and ``maxBytes`` bytes, requests of at most ``maxRequestBytes`` and
/// replies of at most ``maxReplyBytes``; the oldest entry goes first. An entry whose condition no longer holds is
/// dropped when it is looked up, so a stale reply is never sent. Used on its event loop only.
package final class ReplayCache {
    /// The longest request recorded.
    package static let maxRequestBytes = 4096
    /// The longest reply recorded (a gzipped `getAll` is ~10 KB; an uncompressed one ~320 KB is not kept).
    package static let maxReplyBytes = 128 * 1024
    /// Entries kept.
    package static let maxEntries = 64
    /// Request and reply bytes kept, in all.
    package static let maxBytes = 1024 * 1024

    private struct Entry {
        var request: ByteBuffer
        var reply: ByteBuffer
        var condition: any ReplayCondition

        var bytes: Int { self.request.readableBytes + self.reply.readableBytes }
    }

    private var entries: [Entry] = []
    private var bytes = 0

    package init() {}

    /// The entries kept now.
    package var count: Int {
        self.entries.count
    }

    /// The recorded reply to exactly `request`, if its condition still holds.
    package func reply(to request: ByteBuffer) -> ByteBuffer? {
        let length = request.readableBytes
        guard length <= Self.maxRequestBytes else { return nil }
        for index in self.entries.indices where self.entries[index].request.readableBytes == length {
            guard self.entries[index].request == request else { continue }
            if self.entries[index].condition.holds() {
                return self.entries[index].reply
            }
            self.remove(at: index)
            return nil
        }
        return nil
    }

    /// Records `reply` as the reply to `request` while `condition` holds (replacing an older reply to it); does
    /// nothing when either is too long.
    package func record(request: ByteBuffer, reply: ByteBuffer, condition: any ReplayCondition) {
        guard request.readableBytes <= Self.maxRequestBytes, reply.readableBytes <= Self.maxReplyBytes else { return }
        if let index = self.entries.firstIndex(where: { $0.request == request }) {
            self.remove(at: index)
        }
        // Copies of their own, sized to fit: the read's buffer is larger, and shared with nothing else.
        let entry = Entry(
            request: ByteBuffer(copying: request), reply: ByteBuffer(copying: reply), condition: condition)
        while !self.entries.isEmpty, self.entries.count >= Self.maxEntries || self.bytes + entry.bytes > Self.maxBytes {
            self.remove(at: 0)
        }
        self.entries.append(entry)
        self.bytes += entry.bytes
    }

    private func remove(at index: Int) {
        self.bytes -= self.entries[index].bytes
        self.entries.remove(at: index)
    }
}

extension ByteBuffer {
    /// A copy of `buffer`'s readable bytes in storage of their own.
    init(copying buffer: ByteBuffer) {
        var copy = ByteBufferAllocator().buffer(capacity: buffer.readableBytes)
        copy.writeImmutableBuffer(buffer)
        self = copy
    }
}

/// What some bytes are, as the decoder will read them: exactly one whole plain HTTP/1 request (a head of
/// CRLF-ended lines up to the first empty line, then exactly the body its `Content-Length` announces, none without
/// one, and nothing after), the beginning of one, or anything else. Anything less plain (a method other than `GET`,
/// `POST` and `HEAD`, a control byte or a byte past ASCII in the head, a bare LF, a folded line,
/// `Transfer-Encoding`, `Expect`, two `Content-Length` fields, bytes past the body, more than
/// ``ReplayCache/maxRequestBytes`` in all) is `other`, so that a replay can never leave the decoder holding part of
/// a request.
enum RequestShape: Equatable {
    /// One whole request.
    case whole
    /// The start of one, what there is of it plain: the head not ended yet, or (`headEnded`) the body not all there.
    case partial(headEnded: Bool)
    /// Anything else.
    case other

    init(_ buffer: ByteBuffer) {
        guard buffer.readableBytes <= ReplayCache.maxRequestBytes else {
            self = .other
            return
        }
        self = buffer.withUnsafeReadableBytes { Self(bytes: $0) }
    }

    init(bytes: UnsafeRawBufferPointer) {
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let count = bytes.count
        var lineStart = 0
        var contentLength: Int?
        var index = 0
        var firstLine = true
        // The methods pollers use; anything else (another method, a TLS hello, binary) is for the decoder to judge
        // now, not to be held.
        guard Self.startsWithPollingMethod(bytes) else {
            self = .other
            return
        }
        while index < count {
            let byte = bytes[index]
            if byte == lf || byte >= 0x7F || (byte < 0x20 && byte != cr && byte != UInt8(ascii: "\t")) {
                // An LF without its CR, a control byte or a byte past ASCII in the head.
                self = .other
                return
            }
            guard byte == cr else {
                index += 1
                continue
            }
            guard index + 1 < count else { break }  // the CR ends the bytes; its LF may follow
            guard bytes[index + 1] == lf else {
                self = .other
                return
            }
            if index == lineStart {
                // The empty line: the head ends here; the body is the rest, at most what it announces.
                let body = count - (index + 2)
                let announced = contentLength ?? 0
                guard !firstLine, body <= announced, index + 2 + announced <= ReplayCache.maxRequestBytes else {
                    self = .other
                    return
                }
                self = body == announced ? .whole : .partial(headEnded: true)
                return
            }
            if !firstLine {
                let first = bytes[lineStart]
                guard first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
                    self = .other
                    return
                }
                switch Self.field(bytes, from: lineStart, to: index) {
                case .other:
                    break
                case .framing, .invalid:
                    self = .other
                    return
                case .contentLength(let value):
                    guard contentLength == nil else {
                        self = .other
                        return
                    }
                    contentLength = value
                }
            }
            firstLine = false
            index += 2
            lineStart = index
        }
        self = .partial(headEnded: false)
    }

    private static let pollingMethods: [[UInt8]] = [Array("GET ".utf8), Array("POST ".utf8), Array("HEAD ".utf8)]

    /// Whether `bytes` start with `GET `, `POST ` or `HEAD `, or are the start of one of those.
    private static func startsWithPollingMethod(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return false }
        return Self.pollingMethods.contains { method in
            let length = min(method.count, bytes.count)
            return (0..<length).allSatisfy { bytes[$0] == method[$0] }
        }
    }

    private enum Field {
        case other
        case contentLength(Int)
        /// `Transfer-Encoding`, or `Expect` (a client waiting for `100 Continue` must not be held back).
        case framing
        case invalid
    }

    /// What the header line `bytes[start..<end]` is, of what matters to framing.
    private static func field(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Field {
        var colon = start
        while colon < end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon < end else { return .invalid }
        if Self.nameEquals(bytes, start, colon, "transfer-encoding") || Self.nameEquals(bytes, start, colon, "expect") {
            return .framing
        }
        guard Self.nameEquals(bytes, start, colon, "content-length") else { return .other }
        var value = 0
        var digits = 0
        var index = colon + 1
        while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
            guard digits <= 6 else { return .invalid }
        }
        while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        return digits > 0 && index == end ? .contentLength(value) : .invalid
    }

    private static func nameEquals(
        _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ name: StaticString
    ) -> Bool {
        guard end - start == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in
            for offset in 0..<expected.count where ASCII.lower(bytes[start + offset]) != expected[offset] {
                return false
            }
            return true
        }
    }
}
