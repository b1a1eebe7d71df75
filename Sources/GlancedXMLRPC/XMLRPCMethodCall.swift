/// An XML-RPC request: the method name and its parameters.
package struct XMLRPCMethodCall: Sendable, Equatable {
    /// The `<methodName>` text: 1–256 bytes of `A-Z a-z 0-9 _ . : /`.
    package var methodName: String
    /// The `<param>` values, in order; empty when `<params>` is absent or empty.
    package var params: [XMLRPCValue]

    /// Creates a method call.
    ///
    /// - Parameters:
    ///   - methodName: The method's name.
    ///   - params: Its parameters.
    package init(methodName: String, params: [XMLRPCValue] = []) {
        self.methodName = methodName
        self.params = params
    }

    /// Parses a `<methodCall>` document. `<params>` may be absent or empty.
    ///
    /// Accepts an optional UTF-8 byte order mark, an optional leading `<?xml …?>` declaration (naming UTF-8 or
    /// none), and comments and whitespace between elements. Never recurses per nesting level, runs in time linear
    /// in the input, and stops at the first byte that breaks a rule or a limit.
    ///
    /// - Parameters:
    ///   - bytes: The request body.
    ///   - limits: The bounds to enforce.
    /// - Returns: The method call.
    /// - Throws: ``XMLRPCError`` naming the kind of failure and its byte offset.
    package static func parse(
        _ bytes: [UInt8],
        limits: XMLRPCLimits = .default
    ) throws(XMLRPCError) -> XMLRPCMethodCall {
        guard bytes.count <= limits.maxBytes else {
            throw XMLRPCError(.tooLarge, offset: limits.maxBytes, "document larger than \(limits.maxBytes) bytes")
        }
        try bytes.withUnsafeBufferPointer { (buffer) throws(XMLRPCError) in
            try UTF8Scanner.validateDocument(buffer)
        }
        var parser = MethodCallParser(tokenizer: XMLTokenizer(bytes, limits: limits))
        return try parser.parseMethodCall()
    }

    /// Parses a `<methodCall>` document held in raw memory (copied first).
    ///
    /// - Parameters:
    ///   - bytes: The request body.
    ///   - limits: The bounds to enforce.
    /// - Returns: The method call.
    /// - Throws: ``XMLRPCError`` naming the kind of failure and its byte offset.
    package static func parse(
        _ bytes: UnsafeRawBufferPointer,
        limits: XMLRPCLimits = .default
    ) throws(XMLRPCError) -> XMLRPCMethodCall {
        guard bytes.count <= limits.maxBytes else {
            throw XMLRPCError(.tooLarge, offset: limits.maxBytes, "document larger than \(limits.maxBytes) bytes")
        }
        return try parse(Array(bytes), limits: limits)
    }

    /// Parses a `<methodCall>` document from any collection of bytes (copied first).
    ///
    /// - Parameters:
    ///   - bytes: The request body.
    ///   - limits: The bounds to enforce.
    /// - Returns: The method call.
    /// - Throws: ``XMLRPCError`` naming the kind of failure and its byte offset.
    package static func parse(
        _ bytes: some Collection<UInt8>,
        limits: XMLRPCLimits = .default
    ) throws(XMLRPCError) -> XMLRPCMethodCall {
        guard bytes.count <= limits.maxBytes else {
            throw XMLRPCError(.tooLarge, offset: limits.maxBytes, "document larger than \(limits.maxBytes) bytes")
        }
        return try parse(Array(bytes), limits: limits)
    }
}

/// Turns tokenizer events into a method call. Values nest through an explicit stack, never through recursion.
private struct MethodCallParser {
    /// An array or struct whose `<value>` children are being read.
    private enum Frame {
        case array([XMLRPCValue])
        case structure([XMLRPCMember], name: String)
    }

    /// What reading a value needs next.
    private enum Step {
        /// A `<value>` start tag was just read: read its content.
        case enterValue
        /// A value and its `</value>` were read: hand it to the enclosing frame.
        case finished(XMLRPCValue)
    }

    private var tokenizer: XMLTokenizer
    private var stack: [Frame] = []

    init(tokenizer: XMLTokenizer) {
        self.tokenizer = tokenizer
    }

    mutating func parseMethodCall() throws(XMLRPCError) -> XMLRPCMethodCall {
        let root = try tokenizer.next()
        guard case .start(let rootName) = root, tokenizer.localName(rootName, is: "methodCall") else {
            throw XMLRPCError(.notMethodCall, offset: tokenizer.eventOffset, "root element is not <methodCall>")
        }
        guard case .start(let nameTag) = try structural(.notMethodCall),
            tokenizer.localName(nameTag, is: "methodName")
        else {
            throw XMLRPCError(.notMethodCall, offset: tokenizer.eventOffset, "expected <methodName>")
        }
        let (nameText, nameOffset) = try leafText()
        let methodName = try methodNameText(nameText, offset: nameOffset)

        var params: [XMLRPCValue] = []
        var event = try structural(.notMethodCall)
        if case .start(let paramsTag) = event, tokenizer.localName(paramsTag, is: "params") {
            while true {
                event = try structural(.notMethodCall)
                guard case .start(let paramTag) = event else { break }  // </params>
                guard tokenizer.localName(paramTag, is: "param") else {
                    throw unexpected(paramTag, .notMethodCall, "expected <param>")
                }
                guard case .start(let valueTag) = try structural(.notMethodCall),
                    tokenizer.localName(valueTag, is: "value")
                else {
                    throw XMLRPCError(.notMethodCall, offset: tokenizer.eventOffset, "expected <value> in <param>")
                }
                params.append(try readValue())
                try expectEnd(.notMethodCall, "expected </param>")
            }
            event = try structural(.notMethodCall)
        }
        guard case .end = event else {
            throw XMLRPCError(.notMethodCall, offset: tokenizer.eventOffset, "expected </methodCall>")
        }
        guard try tokenizer.next() == .endOfDocument else {
            throw XMLRPCError(.notWellFormed, offset: tokenizer.eventOffset, "content after the root element")
        }
        return XMLRPCMethodCall(methodName: methodName, params: params)
    }

    // MARK: - Values

    /// Reads one value; called just after its `<value>` start tag, returns after its `</value>`.
    private mutating func readValue() throws(XMLRPCError) -> XMLRPCValue {
        let base = stack.count
        var step = Step.enterValue
        while true {
            switch step {
            case .enterValue:
                step = try valueContent()
            case .finished(let value):
                guard stack.count > base, let frame = stack.popLast() else { return value }
                switch frame {
                case .array(var items):
                    items.append(value)
                    step = try continueArray(items)
                case .structure(var members, let name):
                    members.append(XMLRPCMember(name: name, value: value))
                    try expectEnd(.invalidValue, "expected </member>")
                    step = try continueStruct(members)
                }
            }
        }
    }

    /// Reads what follows `<value>`: bare text, a scalar element, or the opening of an array or struct.
    private mutating func valueContent() throws(XMLRPCError) -> Step {
        var event = try tokenizer.next()
        var bareText: [UInt8]?
        let textOffset = tokenizer.eventOffset
        if event == .text {
            bareText = tokenizer.text
            event = try tokenizer.next()
        }
        guard case .start(let tag) = event else {
            // </value> straight after the text: the text is a string.
            return .finished(.string(String(decoding: bareText ?? [], as: UTF8.self)))
        }
        if let bareText, !bareText.allSatisfy(isWhitespace) {
            throw XMLRPCError(.invalidValue, offset: textOffset, "text beside an element in <value>")
        }
        let value: XMLRPCValue
        if tokenizer.localName(tag, is: "array") {
            guard case .start(let data) = try structural(.invalidValue), tokenizer.localName(data, is: "data") else {
                throw XMLRPCError(.invalidValue, offset: tokenizer.eventOffset, "expected <data> in <array>")
            }
            return try continueArray([])
        } else if tokenizer.localName(tag, is: "struct") {
            return try continueStruct([])
        } else if tokenizer.localName(tag, is: "nil") {
            let (text, offset) = try leafText()
            guard text.allSatisfy(isWhitespace) else {
                throw XMLRPCError(.invalidValue, offset: offset, "text in <nil/>")
            }
            value = .null
        } else if let kind = ScalarKind(tag, tokenizer) {
            let (text, offset) = try leafText()
            switch kind {
            case .string: value = .string(String(decoding: text, as: UTF8.self))
            case .int: value = .int(try ScalarText.integer(text, offset: offset))
            case .boolean: value = .bool(try ScalarText.boolean(text, offset: offset))
            case .double: value = .double(try ScalarText.double(text, offset: offset))
            case .dateTime: value = .dateTime(String(decoding: text, as: UTF8.self))
            case .base64: value = .base64(try Base64.decode(text, offset: offset))
            }
        } else {
            throw unexpected(tag, .invalidValue, "unknown value type")
        }
        try expectEnd(.invalidValue, "expected </value>")
        return .finished(value)
    }

    /// After `<data>` or one of its values: another `<value>`, or `</data></array></value>`.
    private mutating func continueArray(_ items: [XMLRPCValue]) throws(XMLRPCError) -> Step {
        switch try structural(.invalidValue) {
        case .start(let tag):
            guard tokenizer.localName(tag, is: "value") else {
                throw unexpected(tag, .invalidValue, "expected <value> in <data>")
            }
            stack.append(.array(items))
            return .enterValue
        default:  // </data>
            try expectEnd(.invalidValue, "expected </array>")
            try expectEnd(.invalidValue, "expected </value>")
            return .finished(.array(items))
        }
    }

    /// After `<struct>` or one of its members: `<member><name>…</name><value>`, or `</struct></value>`.
    private mutating func continueStruct(_ members: [XMLRPCMember]) throws(XMLRPCError) -> Step {
        switch try structural(.invalidValue) {
        case .start(let tag):
            guard tokenizer.localName(tag, is: "member") else {
                throw unexpected(tag, .invalidValue, "expected <member> in <struct>")
            }
            guard case .start(let nameTag) = try structural(.invalidValue), tokenizer.localName(nameTag, is: "name")
            else {
                throw XMLRPCError(.invalidValue, offset: tokenizer.eventOffset, "expected <name> in <member>")
            }
            let name = String(decoding: try leafText().text, as: UTF8.self)
            guard case .start(let valueTag) = try structural(.invalidValue), tokenizer.localName(valueTag, is: "value")
            else {
                throw XMLRPCError(.invalidValue, offset: tokenizer.eventOffset, "expected <value> in <member>")
            }
            stack.append(.structure(members, name: name))
            return .enterValue
        default:  // </struct>
            try expectEnd(.invalidValue, "expected </value>")
            return .finished(.structure(members))
        }
    }

    /// The elements that hold one scalar as text, with the names Python's reader also accepts.
    private enum ScalarKind {
        case string, int, boolean, double, dateTime, base64

        private static let names: [(StaticString, ScalarKind)] = [
            ("string", .string), ("int", .int), ("i4", .int), ("i8", .int), ("i1", .int), ("i2", .int),
            ("biginteger", .int), ("boolean", .boolean), ("double", .double), ("float", .double),
            ("dateTime.iso8601", .dateTime), ("base64", .base64),
        ]

        init?(_ tag: Range<Int>, _ tokenizer: XMLTokenizer) {
            guard let match = Self.names.first(where: { tokenizer.localName(tag, is: $0.0) }) else { return nil }
            self = match.1
        }
    }

    // MARK: - Events

    /// The next event that is not whitespace between elements; other text is an error of kind `code`.
    private mutating func structural(_ code: XMLRPCError.Code) throws(XMLRPCError) -> XMLTokenizer.Event {
        let event = try tokenizer.next()
        guard event == .text else { return event }
        guard tokenizer.text.allSatisfy(isWhitespace) else {
            throw XMLRPCError(code, offset: tokenizer.eventOffset, "unexpected text")
        }
        return try tokenizer.next()
    }

    /// Reads the text of an element that holds only text, through its end tag; empty for `<x/>` and `<x></x>`.
    /// Returns the text and where it began (for messages about its content).
    private mutating func leafText() throws(XMLRPCError) -> (text: [UInt8], offset: Int) {
        var event = try tokenizer.next()
        var text: [UInt8] = []
        let offset = tokenizer.eventOffset
        if event == .text {
            text = tokenizer.text
            event = try tokenizer.next()
        }
        guard case .end = event else {
            throw XMLRPCError(.invalidValue, offset: tokenizer.eventOffset, "element inside a text-only element")
        }
        return (text, offset)
    }

    /// Reads an end tag (the tokenizer guarantees it closes the innermost open element).
    private mutating func expectEnd(_ code: XMLRPCError.Code, _ message: String) throws(XMLRPCError) {
        guard case .end = try structural(code) else {
            throw XMLRPCError(code, offset: tokenizer.eventOffset, message)
        }
    }

    private func unexpected(_ tag: Range<Int>, _ code: XMLRPCError.Code, _ message: String) -> XMLRPCError {
        XMLRPCError(code, offset: tokenizer.eventOffset, "\(message): <\(tokenizer.name(tag))>")
    }

    /// Checks a method name: 1–256 bytes of `A-Z a-z 0-9 _ . : /`.
    private func methodNameText(_ bytes: [UInt8], offset: Int) throws(XMLRPCError) -> String {
        guard !bytes.isEmpty, bytes.count <= 256 else {
            throw XMLRPCError(.invalidValue, offset: offset, "method name empty or longer than 256 bytes")
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                UInt8(ascii: "/"):
                continue
            default:
                throw XMLRPCError(.invalidValue, offset: offset, "method name holds a character XML-RPC does not allow")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
