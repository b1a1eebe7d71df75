/// A pull tokenizer for the XML subset XML-RPC needs: elements, attributes (read and ignored), character data,
/// the five predefined entities, character references, CDATA sections and comments.
///
/// It enforces well-formedness (matching tags, one root, nothing but comments and whitespace around it) and the
/// depth, element and text limits, and rejects DTDs and processing instructions. It never recurses: open elements
/// live on an explicit stack bounded by ``XMLRPCLimits/maxDepth``. The input must already have passed
/// ``UTF8Scanner/validateDocument(_:)``.
struct XMLTokenizer {
    /// One step through the document.
    enum Event: Equatable {
        /// A start tag (a self-closing tag yields `.start` then `.end`); the name's byte range.
        case start(Range<Int>)
        /// An end tag; the name's byte range (of the start tag it closes).
        case end(Range<Int>)
        /// Character data between two tags, now in ``XMLTokenizer/text``.
        case text
        /// The end of the document, after the root element closed.
        case endOfDocument
    }

    private enum Phase {
        case prolog, content, epilog, done
    }

    private let bytes: [UInt8]
    private let limits: XMLRPCLimits
    private var position = 0
    private var phase = Phase.prolog
    private var open: [Range<Int>] = []
    private var elementCount = 0
    private var pendingEnd: Range<Int>?

    /// The character data of the last `.text` event: entities decoded, CDATA included, line ends normalized.
    private(set) var text: [UInt8] = []
    /// Where the last event began in the input.
    private(set) var eventOffset = 0

    /// Creates a tokenizer over a validated document.
    init(_ bytes: [UInt8], limits: XMLRPCLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Reads the next event.
    mutating func next() throws(XMLRPCError) -> Event {
        if let name = pendingEnd {
            pendingEnd = nil
            closeElement()
            return .end(name)
        }
        switch phase {
        case .prolog:
            try readProlog()
            phase = .content
            return try startTag()
        case .content:
            return try content()
        case .epilog:
            try skipMisc()
            guard position == bytes.count else {
                throw XMLRPCError(.notWellFormed, offset: position, "content after the root element")
            }
            phase = .done
            eventOffset = position
            return .endOfDocument
        case .done:
            return .endOfDocument
        }
    }

    /// Whether the element named by `range` is `name`, ignoring any namespace prefix (as Python does).
    func localName(_ range: Range<Int>, is name: StaticString) -> Bool {
        var start = range.lowerBound
        for index in range where bytes[index] == UInt8(ascii: ":") {
            start = index + 1
        }
        return name.withUTF8Buffer { literal in
            literal.count == range.upperBound - start && literal.elementsEqual(bytes[start..<range.upperBound])
        }
    }

    /// The element name in `range`, for messages (at most 64 bytes of it).
    func name(_ range: Range<Int>) -> String {
        String(decoding: bytes[range.prefix(64)], as: UTF8.self)
    }

    // MARK: - Prolog and epilog

    private mutating func readProlog() throws(XMLRPCError) {
        if hasPrefix("\u{FEFF}") {
            position = 3
        }
        if hasPrefix("<?xml") {
            let after = position + 5
            if after < bytes.count && (isWhitespace(bytes[after]) || bytes[after] == UInt8(ascii: "?")) {
                try readDeclaration()
            }
        }
        try skipMisc()
        guard position < bytes.count else {
            throw XMLRPCError(
                .notWellFormed,
                offset: position,
                bytes.isEmpty ? "empty document" : "no root element"
            )
        }
        guard bytes[position] == UInt8(ascii: "<") else {
            throw XMLRPCError(.notWellFormed, offset: position, "text before the root element")
        }
    }

    /// Reads `<?xml version="1.0" encoding="…"?>`; any encoding but UTF-8 (or its ASCII subset) is refused.
    private mutating func readDeclaration() throws(XMLRPCError) {
        position += 5
        while true {
            let hadSpace = skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            if hasPrefix("?>") {
                position += 2
                return
            }
            guard hadSpace else {
                throw XMLRPCError(.notWellFormed, offset: position, "malformed XML declaration")
            }
            let name = try readName()
            let value = try readAttributeValue()
            if bytes[name].elementsEqual("encoding".utf8) {
                let encoding = String(decoding: bytes[value], as: UTF8.self).lowercased()
                guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding) else {
                    throw XMLRPCError(.invalidEncoding, offset: value.lowerBound, "encoding is not UTF-8")
                }
            }
        }
    }

    /// Skips whitespace and comments; a DTD or processing instruction is refused.
    private mutating func skipMisc() throws(XMLRPCError) {
        while true {
            _ = skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "<") else { return }
            if hasPrefix("<!--") {
                try skipComment()
            } else if hasPrefix("<?") || hasPrefix("<!") {
                throw forbidden()
            } else {
                return
            }
        }
    }

    // MARK: - Content

    private mutating func content() throws(XMLRPCError) -> Event {
        text.removeAll(keepingCapacity: true)
        let start = position
        var hasText = false
        while true {
            guard position < bytes.count else { throw unexpectedEnd() }
            switch bytes[position] {
            case UInt8(ascii: "<"):
                if hasPrefix("<!--") {
                    try skipComment()
                    continue
                }
                if hasPrefix("<![CDATA[") {
                    try readCDATA()
                    hasText = true
                    continue
                }
                if hasPrefix("<!") || hasPrefix("<?") {
                    throw forbidden()
                }
                if hasText {
                    eventOffset = start
                    return .text
                }
                if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "/") {
                    return try endTag()
                }
                return try startTag()
            case UInt8(ascii: "&"):
                let scalar = try readReference()
                UTF8Scanner.append(scalar, to: &text)
            case UInt8(ascii: "\r"):
                text.append(UInt8(ascii: "\n"))
                position += 1
                if position < bytes.count && bytes[position] == UInt8(ascii: "\n") {
                    position += 1
                }
            case UInt8(ascii: "]") where hasPrefix("]]>"):
                throw XMLRPCError(.notWellFormed, offset: position, "']]>' in character data")
            default:
                var end = position + 1
                while end < bytes.count && !isTextSpecial(bytes[end]) {
                    end += 1
                }
                text.append(contentsOf: bytes[position..<end])
                position = end
            }
            hasText = true
            try checkTextLength()
        }
    }

    private mutating func startTag() throws(XMLRPCError) -> Event {
        let tagStart = position
        eventOffset = tagStart
        position += 1
        let name = try readName()
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            if bytes[position] == UInt8(ascii: ">") {
                position += 1
                break
            }
            if bytes[position] == UInt8(ascii: "/") {
                guard position + 1 < bytes.count else { throw unexpectedEnd() }
                guard bytes[position + 1] == UInt8(ascii: ">") else {
                    throw XMLRPCError(.notWellFormed, offset: position, "expected '>' after '/'")
                }
                position += 2
                selfClosing = true
                break
            }
            guard hadSpace else {
                throw XMLRPCError(.notWellFormed, offset: position, "expected whitespace before an attribute")
            }
            _ = try readName()
            _ = try readAttributeValue()
        }
        elementCount += 1
        guard elementCount <= limits.maxElements else {
            throw XMLRPCError(.tooManyElements, offset: tagStart, "more than \(limits.maxElements) elements")
        }
        guard open.count < limits.maxDepth else {
            throw XMLRPCError(.tooDeep, offset: tagStart, "elements nested deeper than \(limits.maxDepth)")
        }
        open.append(name)
        if selfClosing {
            pendingEnd = name
        }
        return .start(name)
    }

    private mutating func endTag() throws(XMLRPCError) -> Event {
        eventOffset = position
        position += 2
        let name = try readName()
        _ = skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        guard bytes[position] == UInt8(ascii: ">") else {
            throw XMLRPCError(.notWellFormed, offset: position, "expected '>' in end tag")
        }
        guard let top = open.last, bytes[top].elementsEqual(bytes[name]) else {
            throw XMLRPCError(.notWellFormed, offset: eventOffset, "mismatched end tag </\(self.name(name))>")
        }
        position += 1
        closeElement()
        return .end(top)
    }

    private mutating func closeElement() {
        open.removeLast()
        if open.isEmpty {
            phase = .epilog
        }
    }

    // MARK: - Pieces

    /// Reads an XML name (ASCII letters, digits, `_ : . -`, and any non-ASCII character).
    private mutating func readName() throws(XMLRPCError) -> Range<Int> {
        let start = position
        guard position < bytes.count else { throw unexpectedEnd() }
        guard isNameStart(bytes[position]) else {
            throw XMLRPCError(.notWellFormed, offset: position, "expected a name")
        }
        position += 1
        while position < bytes.count && isNameByte(bytes[position]) {
            position += 1
        }
        return start..<position
    }

    /// Reads `= "value"` or `= 'value'` after an attribute name; returns the raw value's range.
    private mutating func readAttributeValue() throws(XMLRPCError) -> Range<Int> {
        _ = skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        guard bytes[position] == UInt8(ascii: "=") else {
            throw XMLRPCError(.notWellFormed, offset: position, "expected '=' after an attribute name")
        }
        position += 1
        _ = skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        let quote = bytes[position]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw XMLRPCError(.notWellFormed, offset: position, "attribute value not quoted")
        }
        position += 1
        let start = position
        while true {
            guard position < bytes.count else { throw unexpectedEnd() }
            let byte = bytes[position]
            if byte == quote {
                break
            }
            if byte == UInt8(ascii: "<") {
                throw XMLRPCError(.notWellFormed, offset: position, "'<' in an attribute value")
            }
            if byte == UInt8(ascii: "&") {
                _ = try readReference()
            } else {
                position += 1
            }
        }
        let value = start..<position
        position += 1
        return value
    }

    /// Reads `&name;` (the five predefined entities only) or `&#NNN;` / `&#xHH;` and returns the scalar value.
    private mutating func readReference() throws(XMLRPCError) -> UInt32 {
        let start = position
        position += 1
        guard position < bytes.count else { throw unexpectedEnd() }
        if bytes[position] == UInt8(ascii: "#") {
            position += 1
            var radix: UInt32 = 10
            if position < bytes.count && bytes[position] == UInt8(ascii: "x") {
                radix = 16
                position += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while position < bytes.count, let digit = digitValue(bytes[position], radix: radix) {
                value = min(value * radix + digit, 0x11_0000)
                digits += 1
                position += 1
            }
            guard position < bytes.count else { throw unexpectedEnd() }
            guard digits > 0, bytes[position] == UInt8(ascii: ";") else {
                throw XMLRPCError(.notWellFormed, offset: start, "malformed character reference")
            }
            position += 1
            guard UTF8Scanner.isXMLChar(value) else {
                throw XMLRPCError(.notWellFormed, offset: start, "reference to a character not allowed in XML")
            }
            return value
        }
        let name = try readName()
        guard position < bytes.count else { throw unexpectedEnd() }
        guard bytes[position] == UInt8(ascii: ";") else {
            throw XMLRPCError(.notWellFormed, offset: start, "entity reference without ';'")
        }
        position += 1
        switch String(decoding: bytes[name], as: UTF8.self) {
        case "amp": return 0x26
        case "lt": return 0x3C
        case "gt": return 0x3E
        case "quot": return 0x22
        case "apos": return 0x27
        default: throw XMLRPCError(.notWellFormed, offset: start, "undefined entity")
        }
    }

    private mutating func skipComment() throws(XMLRPCError) {
        let start = position
        position += 4
        while position + 1 < bytes.count {
            if bytes[position] == UInt8(ascii: "-") && bytes[position + 1] == UInt8(ascii: "-") {
                guard position + 2 < bytes.count else { break }
                guard bytes[position + 2] == UInt8(ascii: ">") else {
                    throw XMLRPCError(.notWellFormed, offset: position, "'--' inside a comment")
                }
                position += 3
                return
            }
            position += 1
        }
        throw XMLRPCError(.notWellFormed, offset: start, "unexpected end of document in a comment")
    }

    private mutating func readCDATA() throws(XMLRPCError) {
        let start = position
        position += 9
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "]") && hasPrefix("]]>") {
                position += 3
                try checkTextLength()
                return
            }
            if byte == UInt8(ascii: "\r") {
                text.append(UInt8(ascii: "\n"))
                position += 1
                if position < bytes.count && bytes[position] == UInt8(ascii: "\n") {
                    position += 1
                }
            } else {
                text.append(byte)
                position += 1
            }
            if text.count > limits.maxStringBytes {
                try checkTextLength()
            }
        }
        throw XMLRPCError(.notWellFormed, offset: start, "unexpected end of document in a CDATA section")
    }

    private func checkTextLength() throws(XMLRPCError) {
        guard text.count <= limits.maxStringBytes else {
            throw XMLRPCError(.tooLarge, offset: position, "text longer than \(limits.maxStringBytes) bytes")
        }
    }

    /// Skips XML whitespace; returns whether there was any.
    private mutating func skipWhitespace() -> Bool {
        let start = position
        while position < bytes.count && isWhitespace(bytes[position]) {
            position += 1
        }
        return position > start
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { literal in
            position + literal.count <= bytes.count
                && bytes[position..<position + literal.count].elementsEqual(literal)
        }
    }

    private func unexpectedEnd() -> XMLRPCError {
        XMLRPCError(.notWellFormed, offset: bytes.count, "unexpected end of document")
    }

    private func forbidden() -> XMLRPCError {
        XMLRPCError(
            .forbiddenMarkup,
            offset: position,
            "DTDs, entity declarations and processing instructions are refused"
        )
    }
}

/// XML whitespace: space, tab, LF, CR.
@inline(__always)
func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

@inline(__always)
private func isTextSpecial(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "]")
}

@inline(__always)
private func isNameStart(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
        UInt8(ascii: ":"), 0x80...0xFF:
        true
    default:
        false
    }
}

@inline(__always)
private func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
    default: isNameStart(byte)
    }
}

@inline(__always)
private func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}
