/// Appends JSON text to a byte buffer, the way Python's `json.dumps` writes it with default settings.
///
/// Separators are `", "` and `": "`, non-ASCII characters are written as `\uXXXX` escapes, and every
/// `Double` is written with a decimal point or an exponent (`5.0`, never `5`): Python 2 clients divide
/// percentages with integer division and would show 0 % for an integer. Non-finite doubles, which JSON
/// cannot hold, are written as `0.0`.
///
/// The writer keeps no tree: plugins stream their stats straight into it, once per sample.
package struct JSONWriter: Sendable {
    /// The JSON text written so far, UTF-8.
    package private(set) var bytes: [UInt8]
    /// Whether the container being written has no element yet (no separator before the next one).
    private var atFirstElement = true

    /// Creates an empty writer.
    ///
    /// - Parameter capacity: bytes to reserve up front.
    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Containers

    /// Writes a JSON object whose members `body` writes with ``field(_:_:)`` and friends.
    package mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        atFirstElement = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        atFirstElement = false
    }

    /// Writes a JSON array whose elements `body` writes with the `value` calls.
    package mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        atFirstElement = true
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        atFirstElement = false
    }

    /// Writes an object key; the next value written is its value.
    package mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
        atFirstElement = true
    }

    /// Appends an already rendered JSON document as one value.
    package mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    // MARK: Values

    /// Writes an integer.
    package mutating func value(_ number: Int) {
        separate()
        writeInteger(number)
    }

    /// Writes an unsigned counter (clamped to `Int.max`, which Python reads back unchanged).
    package mutating func value(_ number: UInt64) {
        value(number > UInt64(Int.max) ? Int.max : Int(number))
    }

    /// Writes a floating-point number, always with a decimal point or exponent.
    package mutating func value(_ number: Double) {
        separate()
        guard number.isFinite else {
            bytes.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "."), UInt8(ascii: "0")])
            return
        }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            // Whole numbers: the integer digits and ".0", without going through a String.
            if number.sign == .minus && number == 0 { bytes.append(UInt8(ascii: "-")) }
            writeInteger(Int(number))
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // Swift's description is the shortest round-trip form, as Python's repr: "0.1", "1e-05".
        bytes.append(contentsOf: number.description.utf8)
    }

    /// Writes a string, escaped as `json.dumps` escapes it.
    package mutating func value(_ text: String) {
        separate()
        writeString(text)
    }

    /// Writes a boolean.
    package mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
    }

    /// Writes `null`.
    package mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    // MARK: Object members

    /// Writes `"name": number`.
    package mutating func field(_ name: String, _ number: Int) {
        key(name)
        value(number)
    }

    /// Writes `"name": number` for a counter.
    package mutating func field(_ name: String, _ number: UInt64) {
        key(name)
        value(number)
    }

    /// Writes `"name": number` with a decimal point.
    package mutating func field(_ name: String, _ number: Double) {
        key(name)
        value(number)
    }

    /// Writes `"name": "text"`.
    package mutating func field(_ name: String, _ text: String) {
        key(name)
        value(text)
    }

    /// Writes `"name": text`, or `"name": null` when `text` is nil.
    package mutating func field(_ name: String, _ text: String?) {
        key(name)
        if let text { value(text) } else { null() }
    }

    // MARK: Internals

    private mutating func separate() {
        if atFirstElement {
            atFirstElement = false
        } else {
            bytes.append(UInt8(ascii: ","))
            bytes.append(UInt8(ascii: " "))
        }
    }

    private mutating func writeInteger(_ number: Int) {
        if number == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = number.magnitude
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        // 20 digits hold any UInt64.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            while magnitude > 0 {
                digits[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 >= 0x7F || $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                bytes.append(contentsOf: utf8)  // the common case: plain ASCII
            } else {
                writeEscaped(String(decoding: utf8, as: UTF8.self))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ text: String) {
        for unit in text.utf16 {
            switch unit {
            case 0x22: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case 0x5C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x20..<0x7F: bytes.append(UInt8(unit))
            default:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "u"))
                bytes.append(Self.hexDigits[Int(unit >> 12)])
                bytes.append(Self.hexDigits[Int((unit >> 8) & 0xF)])
                bytes.append(Self.hexDigits[Int((unit >> 4) & 0xF)])
                bytes.append(Self.hexDigits[Int(unit & 0xF)])
            }
        }
    }
}
