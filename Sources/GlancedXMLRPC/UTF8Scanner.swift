/// UTF-8 decoding and XML 1.0 character rules, shared by the parser and the writers.
enum UTF8Scanner {
    /// One decoded sequence: its length and, when valid, its scalar value.
    struct Sequence {
        /// Bytes consumed: the whole sequence when valid, else its maximal invalid subpart (at least 1).
        var length: Int
        /// Whether the bytes form a well-formed UTF-8 sequence.
        var isValid: Bool
        /// The scalar value (0 when invalid).
        var scalar: UInt32
    }

    /// Decodes the UTF-8 sequence starting at `index` (Unicode Table 3-7: no overlongs, surrogates or values above
    /// U+10FFFF). `index` must be in bounds.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Sequence {
        let lead = bytes[index]
        if lead < 0x80 {
            return Sequence(length: 1, isValid: true, scalar: UInt32(lead))
        }
        var needed: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF:
            needed = 1
            scalar = UInt32(lead & 0x1F)
        case 0xE0:
            needed = 2
            low = 0xA0
            scalar = UInt32(lead & 0x0F)
        case 0xED:
            needed = 2
            high = 0x9F
            scalar = UInt32(lead & 0x0F)
        case 0xE1...0xEF:
            needed = 2
            scalar = UInt32(lead & 0x0F)
        case 0xF0:
            needed = 3
            low = 0x90
            scalar = UInt32(lead & 0x07)
        case 0xF4:
            needed = 3
            high = 0x8F
            scalar = UInt32(lead & 0x07)
        case 0xF1...0xF3:
            needed = 3
            scalar = UInt32(lead & 0x07)
        default:
            return Sequence(length: 1, isValid: false, scalar: 0)
        }
        var next = index + 1
        while needed > 0 {
            guard next < bytes.count else {
                return Sequence(length: next - index, isValid: false, scalar: 0)
            }
            let byte = bytes[next]
            guard byte >= low && byte <= high else {
                return Sequence(length: next - index, isValid: false, scalar: 0)
            }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
            low = 0x80
            high = 0xBF
            next += 1
            needed -= 1
        }
        return Sequence(length: next - index, isValid: true, scalar: scalar)
    }

    /// Whether `scalar` is an XML 1.0 `Char` (tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF).
    @inline(__always)
    static func isXMLChar(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x1_0000...0x10_FFFF: true
        default: false
        }
    }

    /// Checks that `bytes` is UTF-8 holding only XML 1.0 characters.
    ///
    /// - Throws: `.invalidEncoding` at the first byte that is not UTF-8; `.notWellFormed` at the first character
    ///   XML forbids.
    static func validateDocument(_ bytes: UnsafeBufferPointer<UInt8>) throws(XMLRPCError) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x80 {
                index += 1
                continue
            }
            let sequence = decode(bytes, at: index)
            guard sequence.isValid else {
                throw XMLRPCError(.invalidEncoding, offset: index, "invalid UTF-8")
            }
            guard isXMLChar(sequence.scalar) else {
                throw XMLRPCError(.notWellFormed, offset: index, "character not allowed in XML")
            }
            index += sequence.length
        }
    }

    /// Appends the UTF-8 encoding of a valid scalar value.
    @inline(__always)
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x1_0000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
