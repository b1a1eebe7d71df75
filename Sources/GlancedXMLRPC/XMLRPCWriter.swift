/// The byte-level pieces of XML-RPC output, laid out as Python's `xmlrpc.client.Marshaller` lays them out.
enum XMLRPCWriter {
    /// Appends a literal.
    @inline(__always)
    static func append(_ literal: StaticString, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends UTF-8 text with `&`, `<`, `>` escaped, as Python's `escape` does.
    ///
    /// Bytes that are not UTF-8, and characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR, U+FFFE,
    /// U+FFFF), become U+FFFD, so the output is always well-formed. Unchanged runs are copied in bulk.
    static func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let base = text.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let count = text.count
        var index = 0
        var runStart = 0
        while index < count {
            // Skip eight bytes at a time while they hold only printable ASCII other than & < >.
            while index &+ 8 <= count && isPlainWord(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index &+= 8
            }
            guard index < count else { break }
            let byte = text[index]
            // Printable ASCII other than & < >, one byte at a time.
            if byte &- 0x20 < 0x60 && byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<")
                && byte != UInt8(ascii: ">")
            {
                index += 1
                continue
            }
            let replacement: StaticString
            let length: Int
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case 0x20..., 0x09, 0x0A, 0x0D:
                    index += 1
                    continue
                default: replacement = "\u{FFFD}"
                }
                length = 1
            } else {
                let sequence = UTF8Scanner.decode(text, at: index)
                if sequence.isValid && UTF8Scanner.isXMLChar(sequence.scalar) {
                    index += sequence.length
                    continue
                }
                replacement = "\u{FFFD}"
                length = sequence.length
            }
            if runStart < index {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
            }
            append(replacement, to: &out)
            index += length
            runStart = index
        }
        if runStart < count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<count]))
        }
    }

    /// Whether all eight bytes of `word` are printable ASCII (0x20–0x7F) other than `&`, `<`, `>`.
    ///
    /// Bit Twiddling Hacks' "has a zero byte" and "has a byte less than n": each sets the high bit of some byte
    /// exactly when *any* byte matches, so a word that passes needs no escaping; one that fails goes through the
    /// byte loop. A byte of 0x80 or more sets its own high bit.
    @inline(__always)
    private static func isPlainWord(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below0x20 = (word &- ones &* 0x20) & ~word
        let ampersand = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "&"))))
        let less = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "<"))))
        let greater = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: ">"))))
        return (word | below0x20 | ampersand | less | greater) & highs == 0
    }

    /// Sets the high bit of some byte when any byte of `value` is zero.
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        (value &- 0x0101_0101_0101_0101) & ~value
    }

    /// Appends a string, escaped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &out) }
    }

    /// Appends `value` as Python's `Marshaller.__dump` does: `<value>…</value>` and a line feed (none after
    /// `<nil/>`, as Python writes it). Recurses once per nesting level of `value`.
    static func appendValue(_ value: XMLRPCValue, to out: inout [UInt8]) {
        switch value {
        case .int(let number):
            append("<value><int>", to: &out)
            out.append(contentsOf: String(number).utf8)
            append("</int></value>\n", to: &out)
        case .bool(let flag):
            append(flag ? "<value><boolean>1</boolean></value>\n" : "<value><boolean>0</boolean></value>\n", to: &out)
        case .string(let text):
            append("<value><string>", to: &out)
            appendEscaped(text, to: &out)
            append("</string></value>\n", to: &out)
        case .double(let number):
            append("<value><double>", to: &out)
            out.append(contentsOf: number.description.utf8)
            append("</double></value>\n", to: &out)
        case .dateTime(let text):
            append("<value><dateTime.iso8601>", to: &out)
            appendEscaped(text, to: &out)
            append("</dateTime.iso8601></value>\n", to: &out)
        case .base64(let bytes):
            append("<value><base64>\n", to: &out)
            Base64.appendEncoded(bytes, to: &out)
            append("</base64></value>\n", to: &out)
        case .array(let items):
            append("<value><array><data>\n", to: &out)
            for item in items {
                appendValue(item, to: &out)
            }
            append("</data></array></value>\n", to: &out)
        case .structure(let members):
            append("<value><struct>\n", to: &out)
            for member in members {
                append("<member>\n<name>", to: &out)
                appendEscaped(member.name, to: &out)
                append("</name>\n", to: &out)
                appendValue(member.value, to: &out)
                append("</member>\n", to: &out)
            }
            append("</struct></value>\n", to: &out)
        case .null:
            append("<value><nil/></value>", to: &out)
        }
    }
}
