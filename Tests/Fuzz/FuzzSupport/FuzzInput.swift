/// The bytes of one fuzz input, read front to back as the choices that build a value: counts, numbers, text.
///
/// Past the end every read gives 0 (empty strings, empty lists, zero), so any input builds a finite value and
/// a short input a small one. Numbers favour the edges a renderer must survive: 0, negative, huge, NaN, ±Inf,
/// the largest counters; strings favour what must be escaped: quotes, backslashes, control bytes, invalid UTF-8
/// (repaired by `String(decoding:as:)`, as every string glanced reads from the system is).
package struct FuzzInput {
    private let bytes: [UInt8]
    private var at = 0

    /// Reads `bytes`.
    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every byte was read.
    package var isAtEnd: Bool { at >= bytes.count }

    /// The next byte, 0 past the end.
    package mutating func byte() -> UInt8 {
        guard at < bytes.count else { return 0 }
        defer { at += 1 }
        return bytes[at]
    }

    /// A whole number from 0 to `limit`.
    package mutating func count(_ limit: Int) -> Int {
        Int(byte()) % (limit + 1)
    }

    /// A flag.
    package mutating func bool() -> Bool {
        byte() & 1 == 1
    }

    /// Present or not, then the value.
    package mutating func optional<T>(_ make: (inout FuzzInput) -> T) -> T? {
        bool() ? make(&self) : nil
    }

    /// Up to `limit` values.
    package mutating func list<T>(_ limit: Int, _ make: (inout FuzzInput) -> T) -> [T] {
        let count = count(limit)
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(make(&self)) }
        return values
    }

    /// Eight raw bytes, little-endian.
    package mutating func raw64() -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
        return value
    }

    /// A counter: small, an edge (`Int.max`, just past it, `UInt64.max`), or any.
    package mutating func uint64() -> UInt64 {
        switch byte() % 8 {
        case 0: 0
        case 1: UInt64(Int.max)
        case 2: UInt64(Int.max) + 1
        case 3: .max
        case 4: raw64()
        case 5: UInt64(byte()) << 32 | UInt64(byte())
        default: UInt64(byte())
        }
    }

    /// A signed number: small (negative too), an edge, or any.
    package mutating func int() -> Int {
        switch byte() % 8 {
        case 0: 0
        case 1: .max
        case 2: .min
        case 3: Int(truncatingIfNeeded: raw64())
        case 4: -Int(byte())
        default: Int(byte())
        }
    }

    /// A double: NaN, ±Inf, ±0, huge, tiny, around the whole-number bounds of the writers, or any bit pattern.
    package mutating func double() -> Double {
        switch byte() % 16 {
        case 0: .nan
        case 1: .infinity
        case 2: -.infinity
        case 3: -0.0
        case 4: .greatestFiniteMagnitude
        case 5: -.greatestFiniteMagnitude
        case 6: .leastNonzeroMagnitude
        case 7: 1e15 + Double(Int8(bitPattern: byte()))
        case 8: 9_007_199_254_740_992 + Double(Int8(bitPattern: byte()))
        case 9: Double(bitPattern: raw64())
        case 10: Double(Int8(bitPattern: byte())) / 10
        case 11: Double(Int(truncatingIfNeeded: raw64()))
        case 12: Double(byte()) + Double(byte()) / 256
        default: Double(Int8(bitPattern: byte()))
        }
    }

    /// Pieces that strings are made of besides the input's own bytes.
    private static let pieces: [[UInt8]] = [
        Array("\"".utf8), Array("\\".utf8), Array("\\n".utf8), Array("\\u00".utf8), [0], [0x0A], [0x0D], [0x09],
        [0x7F], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xC3], [0xE2, 0x80, 0xA8],
        Array("{}".utf8), Array("=\"".utf8), Array("# HELP ".utf8), Array(" NaN".utf8), Array("/".utf8),
        Array("%2F".utf8), Array("key".utf8), Array("sda".utf8), Array("eth0".utf8),
    ]

    /// Text: empty, a few raw bytes of the input, pieces that need escaping, or a long run.
    package mutating func string() -> String {
        let head = byte()
        var out: [UInt8] = []
        switch head % 8 {
        case 0:
            return ""
        case 1, 2, 3, 4:
            // Raw input bytes, whatever they are.
            for _ in 0..<(Int(head >> 3) % 24) { out.append(byte()) }
        case 5, 6:
            // A mix of pieces and bytes.
            for _ in 0..<(Int(head >> 3) % 8 + 1) {
                let choice = byte()
                if choice & 1 == 0 {
                    out += Self.pieces[Int(choice >> 1) % Self.pieces.count]
                } else {
                    out.append(choice >> 1)
                }
            }
        default:
            // A long run of one byte, up to 512 bytes (longer only slows every execution down).
            let filler = byte()
            out = Array(repeating: filler, count: (Int(head >> 3) + 1) * 16)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Raw bytes, not repaired: up to `limit` of them, e.g. a file's content.
    package mutating func bytes(_ limit: Int) -> [UInt8] {
        let count = Int(byte()) | Int(byte()) << 8
        var out: [UInt8] = []
        for _ in 0..<(count % (limit + 1)) where !isAtEnd { out.append(byte()) }
        return out
    }
}
