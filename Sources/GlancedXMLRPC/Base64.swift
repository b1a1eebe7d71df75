/// Standard base64 (RFC 4648 alphabet, `=` padding), written as Python's `base64.encodebytes` writes it.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends `bytes` encoded in lines of 76 characters, each ending in LF (nothing at all for no bytes).
    static func appendEncoded(_ bytes: [UInt8], to out: inout [UInt8]) {
        var index = 0
        var column = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(remaining > 1 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? alphabet[Int(group & 0x3F)] : UInt8(ascii: "="))
            index += 3
            column += 4
            if column == 76 {
                out.append(UInt8(ascii: "\n"))
                column = 0
            }
        }
        if column > 0 {
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Decodes base64 text, skipping XML whitespace. The text without whitespace must be a whole number of
    /// 4-character groups, with `=` only as the last one or two characters.
    ///
    /// - Throws: `.invalidValue` at `offset`.
    static func decode(_ text: [UInt8], offset: Int) throws(XMLRPCError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var group: UInt32 = 0
        var count = 0
        var padding = 0
        for byte in text where !isWhitespace(byte) {
            let sextet: UInt32
            if byte == UInt8(ascii: "=") {
                padding += 1
                sextet = 0
            } else {
                guard padding == 0, let value = value(of: byte) else {
                    throw XMLRPCError(.invalidValue, offset: offset, "invalid base64")
                }
                sextet = value
            }
            group = group << 6 | sextet
            count += 1
            if count == 4 {
                guard padding <= 2 else {
                    throw XMLRPCError(.invalidValue, offset: offset, "invalid base64")
                }
                out.append(UInt8(group >> 16 & 0xFF))
                if padding < 2 { out.append(UInt8(group >> 8 & 0xFF)) }
                if padding < 1 { out.append(UInt8(group & 0xFF)) }
                group = 0
                count = 0
                if padding > 0 {
                    // Padding ends the data: anything after it is rejected by the `padding == 0` check above.
                    padding = 3
                }
            }
        }
        guard count == 0 else {
            throw XMLRPCError(.invalidValue, offset: offset, "invalid base64")
        }
        return out
    }

    private static func value(of byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
