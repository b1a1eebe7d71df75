import GlancedXMLRPC
import Testing

/// One document that must be refused, and the kind of error it must raise.
struct Malformed: Sendable, CustomTestStringConvertible {
    var label: String
    var bytes: [UInt8]
    var code: XMLRPCError.Code

    init(_ label: String, _ document: String, _ code: XMLRPCError.Code) {
        self.label = label
        self.bytes = Array(document.utf8)
        self.code = code
    }

    init(_ label: String, bytes: [UInt8], _ code: XMLRPCError.Code) {
        self.label = label
        self.bytes = bytes
        self.code = code
    }

    var testDescription: String { label }
}

private func call(_ inner: String) -> String {
    "<methodCall><methodName>m</methodName><params><param>\(inner)</param></params></methodCall>"
}

private func value(_ inner: String) -> String {
    call("<value>\(inner)</value>")
}

private let billionLaughs = """
    <?xml version="1.0"?>
    <!DOCTYPE lolz [
     <!ENTITY lol "lol">
     <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
     <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
     <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
     <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
    ]>
    <methodCall><methodName>&lol9;</methodName></methodCall>
    """

private let externalEntity = """
    <?xml version="1.0"?>
    <!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <methodCall><methodName>init</methodName><params><param><value>&xxe;</value></param></params></methodCall>
    """

private let malformed: [Malformed] = [
    // Not XML at all, or not finished.
    Malformed("empty", "", .notWellFormed),
    Malformed("whitespace only", " \n\t ", .notWellFormed),
    Malformed("a comment only", "<!-- x -->", .notWellFormed),
    Malformed("not XML", "not xml at all", .notWellFormed),
    Malformed("JSON", #"{"method": "init"}"#, .notWellFormed),
    Malformed("lone <", "<", .notWellFormed),
    Malformed("declaration only", "<?xml version='1.0'?>", .notWellFormed),
    Malformed("unterminated declaration", "<?xml version='1.0'", .notWellFormed),
    Malformed("truncated", "<methodCall><methodName>init</methodName>", .notWellFormed),
    Malformed("truncated end tag", "<methodCall><methodName>init</methodName></methodCall", .notWellFormed),
    Malformed("unterminated comment", "<methodCall><!-- x", .notWellFormed),
    Malformed("'--' in a comment", "<!-- a -- b --><methodCall/>", .notWellFormed),
    Malformed("comment ending in '--->'", "<!-- a ---><methodCall/>", .notWellFormed),
    Malformed("unterminated CDATA", "<methodCall><methodName><![CDATA[init", .notWellFormed),
    Malformed("']]>' in text", "<methodCall><methodName>a]]>b</methodName></methodCall>", .notWellFormed),
    Malformed("text before the root", "x<methodCall><methodName>init</methodName></methodCall>", .notWellFormed),
    Malformed("a name starting with a digit", "<1methodCall/>", .notWellFormed),
    Malformed("'< name'", "< methodCall/>", .notWellFormed),
    Malformed("'/ >'", "<methodCall/ >", .notWellFormed),

    // Tags that do not match, or more than one root.
    Malformed("mismatched tags", "<methodCall><methodName>init</methodname></methodCall>", .notWellFormed),
    Malformed("crossed tags", value("<array><data></array></data>"), .notWellFormed),
    Malformed("end tag with no start", "</methodCall>", .notWellFormed),
    Malformed(
        "garbage after the root",
        "<methodCall><methodName>init</methodName></methodCall>garbage",
        .notWellFormed
    ),
    Malformed(
        "a second root",
        "<methodCall><methodName>init</methodName></methodCall><methodCall/>",
        .notWellFormed
    ),
    Malformed("a PI after the root", "<methodCall><methodName>i</methodName></methodCall><?x?>", .forbiddenMarkup),

    // Attributes.
    Malformed("unquoted attribute", "<methodCall a=b><methodName>i</methodName></methodCall>", .notWellFormed),
    Malformed("unterminated attribute", "<methodCall a=\"b><methodName>i</methodName></methodCall>", .notWellFormed),
    Malformed("mixed quotes", "<methodCall a=\"b'><methodName>i</methodName></methodCall>", .notWellFormed),
    Malformed("attribute without value", "<methodCall a><methodName>i</methodName></methodCall>", .notWellFormed),
    Malformed("attribute without '='", "<methodCall a \"b\"><methodName>i</methodName></methodCall>", .notWellFormed),
    Malformed(
        "attributes not separated",
        "<methodCall a='1'b='2'><methodName>i</methodName></methodCall>",
        .notWellFormed
    ),
    Malformed("'<' in an attribute", "<methodCall a='<'><methodName>i</methodName></methodCall>", .notWellFormed),
    Malformed(
        "bad entity in an attribute",
        "<methodCall a='&x;'><methodName>i</methodName></methodCall>",
        .notWellFormed
    ),
    Malformed("attribute on an end tag", "<methodCall><methodName>i</methodName a='1'></methodCall>", .notWellFormed),

    // Wrong root or structure.
    Malformed("wrong root", "<foo><methodName>init</methodName></foo>", .notMethodCall),
    Malformed(
        "a response",
        "<?xml version='1.0'?><methodResponse><params/></methodResponse>",
        .notMethodCall
    ),
    Malformed("self-closing root", "<methodCall/>", .notMethodCall),
    Malformed("no methodName", "<methodCall><params/></methodCall>", .notMethodCall),
    Malformed("text in methodCall", "<methodCall>init</methodCall>", .notMethodCall),
    Malformed("text after methodName", "<methodCall><methodName>a</methodName>x</methodCall>", .notMethodCall),
    Malformed("param outside params", "<methodCall><methodName>a</methodName><param/></methodCall>", .notMethodCall),
    Malformed(
        "two methodNames",
        "<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>",
        .notMethodCall
    ),
    Malformed("params twice", "<methodCall><methodName>a</methodName><params/><params/></methodCall>", .notMethodCall),
    Malformed(
        "value directly in params",
        "<methodCall><methodName>a</methodName><params><value/></params>"
            + "</methodCall>",
        .notMethodCall
    ),
    Malformed("empty param", call(""), .notMethodCall),
    Malformed("two values in a param", call("<value/><value/>"), .notMethodCall),
    Malformed("element in methodName", "<methodCall><methodName><b>a</b></methodName></methodCall>", .invalidValue),

    // Values.
    Malformed("unknown value type", value("<foo>1</foo>"), .invalidValue),
    Malformed("text beside an element", value("x<int>1</int>"), .invalidValue),
    Malformed("two elements in a value", value("<int>1</int><int>2</int>"), .invalidValue),
    Malformed("element in a string", value("<string><b>x</b></string>"), .invalidValue),
    Malformed("array without data", value("<array><value>1</value></array>"), .invalidValue),
    Malformed("self-closing array", value("<array/>"), .invalidValue),
    Malformed("text in data", value("<array><data>x</data></array>"), .invalidValue),
    Malformed("non-value in data", value("<array><data><int>1</int></data></array>"), .invalidValue),
    Malformed("member without name", value("<struct><member><value>1</value></member></struct>"), .invalidValue),
    Malformed("member without value", value("<struct><member><name>a</name></member></struct>"), .invalidValue),
    Malformed(
        "member with two values",
        value("<struct><member><name>a</name><value/><value/></member></struct>"),
        .invalidValue
    ),
    Malformed("non-member in struct", value("<struct><name>a</name></struct>"), .invalidValue),
    Malformed("text in nil", value("<nil>x</nil>"), .invalidValue),

    // Numbers, booleans, base64.
    Malformed("int with letters", value("<int>12a</int>"), .invalidValue),
    Malformed("empty int", value("<int></int>"), .invalidValue),
    Malformed("self-closing int", value("<int/>"), .invalidValue),
    Malformed("sign only", value("<int>-</int>"), .invalidValue),
    Malformed("int with a space after the sign", value("<int>- 1</int>"), .invalidValue),
    Malformed("int with a point", value("<int>1.5</int>"), .invalidValue),
    Malformed("int overflow", value("<int>9223372036854775808</int>"), .invalidValue),
    Malformed("int underflow", value("<i8>-9223372036854775809</i8>"), .invalidValue),
    Malformed("huge int", value("<int>\(String(repeating: "9", count: 5_000))</int>"), .invalidValue),
    Malformed("hex int", value("<int>0x10</int>"), .invalidValue),
    Malformed("double without exponent digits", value("<double>1e</double>"), .invalidValue),
    Malformed("hex double", value("<double>0x1p3</double>"), .invalidValue),
    Malformed("double words", value("<double>abc</double>"), .invalidValue),
    Malformed("empty double", value("<double/>"), .invalidValue),
    Malformed("lone point", value("<double>.</double>"), .invalidValue),
    Malformed("two points", value("<double>1.2.3</double>"), .invalidValue),
    Malformed("nan with payload", value("<double>nan(1)</double>"), .invalidValue),
    Malformed("boolean 2", value("<boolean>2</boolean>"), .invalidValue),
    Malformed("boolean true", value("<boolean>true</boolean>"), .invalidValue),
    Malformed("boolean with spaces", value("<boolean> 1 </boolean>"), .invalidValue),
    Malformed("empty boolean", value("<boolean/>"), .invalidValue),
    Malformed("base64 short group", value("<base64>abc</base64>"), .invalidValue),
    Malformed("base64 three pads", value("<base64>a===</base64>"), .invalidValue),
    Malformed("base64 data after padding", value("<base64>QQ==QQ==</base64>"), .invalidValue),
    Malformed("base64 pad inside", value("<base64>Q=Q=</base64>"), .invalidValue),
    Malformed("base64 bad character", value("<base64>Q!==</base64>"), .invalidValue),
    Malformed("base64 URL alphabet", value("<base64>-_-_</base64>"), .invalidValue),

    // Method names.
    Malformed("empty method name", "<methodCall><methodName></methodName></methodCall>", .invalidValue),
    Malformed("self-closing method name", "<methodCall><methodName/></methodCall>", .invalidValue),
    Malformed("method name with spaces", "<methodCall><methodName> init </methodName></methodCall>", .invalidValue),
    Malformed(
        "method name with a space inside",
        "<methodCall><methodName>get All</methodName></methodCall>",
        .invalidValue
    ),
    Malformed("non-ASCII method name", "<methodCall><methodName>é</methodName></methodCall>", .invalidValue),
    Malformed("method name with '-'", "<methodCall><methodName>get-all</methodName></methodCall>", .invalidValue),
    Malformed(
        "method name with an escaped '<'",
        "<methodCall><methodName>a&lt;b</methodName></methodCall>",
        .invalidValue
    ),
    Malformed(
        "257-byte method name",
        "<methodCall><methodName>\(String(repeating: "a", count: 257))</methodName></methodCall>",
        .invalidValue
    ),
    Malformed(
        "huge method name",
        "<methodCall><methodName>\(String(repeating: "getAll", count: 10_000))</methodName></methodCall>",
        .invalidValue
    ),

    // Entities and character references.
    Malformed("undefined entity", value("<string>&nbsp;</string>"), .notWellFormed),
    Malformed("entity without ';'", value("<string>&amp</string>"), .notWellFormed),
    Malformed("bare '&'", value("<string>a & b</string>"), .notWellFormed),
    Malformed("&#0;", value("<string>&#0;</string>"), .notWellFormed),
    Malformed("&#1;", value("<string>&#1;</string>"), .notWellFormed),
    Malformed("&#xFFFE;", value("<string>&#xFFFE;</string>"), .notWellFormed),
    Malformed("surrogate reference", value("<string>&#xD800;</string>"), .notWellFormed),
    Malformed("reference past U+10FFFF", value("<string>&#x110000;</string>"), .notWellFormed),
    Malformed("huge reference", value("<string>&#99999999999999999999999;</string>"), .notWellFormed),
    Malformed("empty reference", value("<string>&#;</string>"), .notWellFormed),
    Malformed("empty hex reference", value("<string>&#x;</string>"), .notWellFormed),
    Malformed("upper-case X reference", value("<string>&#X41;</string>"), .notWellFormed),
    Malformed("hex digits in a decimal reference", value("<string>&#4a;</string>"), .notWellFormed),

    // DTDs, entities, processing instructions.
    Malformed("billion laughs", billionLaughs, .forbiddenMarkup),
    Malformed("external entity", externalEntity, .forbiddenMarkup),
    Malformed("DOCTYPE without subset", "<!DOCTYPE methodCall SYSTEM \"x.dtd\"><methodCall/>", .forbiddenMarkup),
    Malformed("ENTITY declaration", "<!ENTITY x \"y\"><methodCall/>", .forbiddenMarkup),
    Malformed("DOCTYPE inside the root", "<methodCall><!DOCTYPE x></methodCall>", .forbiddenMarkup),
    Malformed("processing instruction", "<?php echo 1; ?><methodCall/>", .forbiddenMarkup),
    Malformed("stylesheet PI", "<?xml-stylesheet href='x'?><methodCall/>", .forbiddenMarkup),
    Malformed("PI inside content", value("<string>a<?x y?>b</string>"), .forbiddenMarkup),
    Malformed("declaration not first", "\n<?xml version='1.0'?><methodCall/>", .forbiddenMarkup),
    Malformed("two declarations", "<?xml version='1.0'?><?xml version='1.0'?><methodCall/>", .forbiddenMarkup),
    Malformed("CDATA outside the root", "<![CDATA[x]]><methodCall/>", .forbiddenMarkup),

    // Encodings and characters.
    Malformed(
        "invalid UTF-8 byte",
        bytes: Array(value("<string>a").utf8) + [0xFF] + Array("</string>".utf8),
        .invalidEncoding
    ),
    Malformed(
        "overlong '/'",
        bytes: Array(value("<string>").utf8) + [0xC0, 0xAF] + Array("</string>".utf8),
        .invalidEncoding
    ),
    Malformed(
        "encoded surrogate",
        bytes: Array(value("<string>").utf8) + [0xED, 0xA0, 0x80]
            + Array("</string>".utf8),
        .invalidEncoding
    ),
    Malformed(
        "past U+10FFFF",
        bytes: Array(value("<string>").utf8) + [0xF4, 0x90, 0x80, 0x80]
            + Array("</string>".utf8),
        .invalidEncoding
    ),
    Malformed(
        "truncated sequence",
        bytes: Array(value("<string>").utf8) + [0xE2, 0x82]
            + Array("</string>".utf8),
        .invalidEncoding
    ),
    Malformed("invalid UTF-8 in a name", bytes: [0x3C, 0xFF, 0x3E], .invalidEncoding),
    Malformed(
        "UTF-16 with BOM",
        bytes: [0xFF, 0xFE] + Array("<methodCall/>".utf8).flatMap { [$0, 0] },
        .invalidEncoding
    ),
    Malformed("Latin-1 declared", "<?xml version='1.0' encoding='ISO-8859-1'?><methodCall/>", .invalidEncoding),
    Malformed("NUL byte", value("<string>a\u{0}b</string>"), .notWellFormed),
    Malformed("control character", value("<string>a\u{1B}[31mb</string>"), .notWellFormed),
    Malformed("U+FFFF", value("<string>\u{FFFF}</string>"), .notWellFormed),
]

/// Large documents built to make a careless parser slow; each stays under the default 64 KiB.
private let hostile: [Malformed] = [
    Malformed("9,000 comments", String(repeating: "<!---->", count: 9_000), .notWellFormed),
    Malformed(
        "10,000 attributes",
        "<methodCall " + String(repeating: "a='1' ", count: 10_000) + ">",
        .notWellFormed
    ),
    Malformed(
        "10,000 references",
        "<methodCall><methodName>" + String(repeating: "&#x41;", count: 10_000),
        .notWellFormed
    ),
    Malformed(
        "60,000 ']'",
        callWithValue("<value>" + String(repeating: "]", count: 60_000) + "</value>x"),
        .notMethodCall
    ),
    Malformed(
        "60,000 CRs",
        callWithValue("<value>" + String(repeating: "\r", count: 60_000) + "</value>x"),
        .notMethodCall
    ),
    Malformed("a comment of dashes", "<methodCall><!--" + String(repeating: "-", count: 60_000), .notWellFormed),
    Malformed("a 60,000-byte name", "<" + String(repeating: "a", count: 60_000), .notWellFormed),
    Malformed(
        "60,000 '='",
        callWithValue(
            "<value><base64>" + String(repeating: "=", count: 60_000)
                + "</base64></value>"
        ),
        .invalidValue
    ),
    Malformed(
        "60,000 digits",
        callWithValue("<value><i8>" + String(repeating: "1", count: 60_000) + "</i8></value>"),
        .invalidValue
    ),
]

@Suite("XMLRPCMethodCall.parse refuses malformed and hostile documents")
struct XMLRPCMethodCallMalformedTests {
    @Test("each malformed document raises its kind of error", arguments: malformed)
    func refused(_ document: Malformed) throws {
        let error = try #require(parseFailure(document.bytes))
        #expect(error.code == document.code, "\(error)")
        #expect(error.offset >= 0 && error.offset <= document.bytes.count)
        #expect(!error.message.isEmpty)
    }

    @Test("a valid document truncated at every byte offset always throws")
    func truncatedEverywhere() throws {
        let document = Array(
            ("\u{FEFF}<?xml version='1.0' encoding='utf-8'?>\n<!-- c -->\n<methodCall a=\"1\">\n"
                + "<methodName>system.methodHelp</methodName>\n<params>\n<param>\n<value><struct>\n"
                + "<member>\n<name>k&amp;</name>\n<value><array><data>\n<value><int>-1</int></value>\n"
                + "<value><string>é€😀 &#x1F600; <![CDATA[<raw>]]></string></value>\n<value>bare</value>\n"
                + "<value><double>1.5e3</double></value>\n<value><boolean>1</boolean></value>\n<value><nil/></value>\n"
                + "<value><base64>aGkA</base64></value>\n<value><dateTime.iso8601>20240101T00:00:00</dateTime.iso8601>"
                + "</value>\n</data></array></value>\n</member>\n</struct></value>\n</param>\n</params>\n"
                + "</methodCall>").utf8
        )
        #expect(throws: Never.self) { try XMLRPCMethodCall.parse(document) }
        for length in 0..<document.count {
            let prefix = Array(document[..<length])
            let error = parseFailure(prefix)
            #expect(error != nil, "prefix of \(length) bytes parsed")
            if let error {
                #expect(error.offset >= 0 && error.offset <= length)
            }
        }
    }

    @Test("100,006 nested elements fail with tooDeep, fast")
    func deepNesting() throws {
        // methodCall, params, param + 33,334 × (value, array, data) = 100,006 elements, each inside the last.
        let head = "<methodCall><methodName>m</methodName><params><param>"
        let document = Array((head + String(repeating: "<value><array><data>", count: 33_334)).utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(parseFailure(document, limits: XMLRPCLimits(maxBytes: 4 << 20, maxElements: 200_000)))
        #expect(error.code == .tooDeep)
        // The 33rd element fails: methodCall, methodName's sibling params… it is reached within the first 400 bytes.
        #expect(error.offset < 400)
        #expect(clock.now - start < .seconds(2))
        // With the default limits the same document is too large before anything is read.
        #expect(parseFailure(document)?.code == .tooLarge)
    }

    @Test("closed nesting beyond maxDepth also fails")
    func deepClosedNesting() {
        let limits = XMLRPCLimits(maxBytes: 1 << 20, maxDepth: 64)
        let document = callWithValue(
            String(repeating: "<value><array><data>", count: 100)
                + String(repeating: "</data></array></value>", count: 100)
        )
        #expect(parseFailure(document, limits: limits)?.code == .tooDeep)
    }

    @Test("more elements than maxElements fail with tooManyElements")
    func tooManyElements() {
        let small = callWithValue(
            "<value><array><data>" + String(repeating: "<value/>", count: 200) + "</data></array></value>"
        )
        let error = parseFailure(small, limits: XMLRPCLimits(maxElements: 100))
        #expect(error?.code == .tooManyElements)
        #expect(parseFailure(small, limits: XMLRPCLimits(maxElements: 300)) == nil)
        // The default limit, 10,000 elements, with the byte limit raised so it is the one that trips.
        let large = callWithValue(
            "<value><array><data>" + String(repeating: "<value/>", count: 10_000) + "</data></array></value>"
        )
        #expect(parseFailure(large, limits: XMLRPCLimits(maxBytes: 1 << 20))?.code == .tooManyElements)
    }

    @Test("documents over maxBytes fail with tooLarge before being read")
    func tooLarge() {
        let padding = String(repeating: " ", count: 65_536)
        let document = "<methodCall><methodName>init</methodName></methodCall>" + padding
        let error = parseFailure(document)
        #expect(error?.code == .tooLarge)
        #expect(error?.offset == 65_536)
        // Exactly at the limit is fine.
        let fits = "<methodCall><methodName>init</methodName></methodCall>"
        #expect(parseFailure(fits + String(repeating: " ", count: 65_536 - fits.utf8.count)) == nil)
        // Invalid UTF-8 beyond the limit is not even looked at.
        #expect(parseFailure(Array(document.utf8) + [0xFF])?.code == .tooLarge)
        #expect(parseFailure(fits, limits: XMLRPCLimits(maxBytes: 10))?.code == .tooLarge)
    }

    @Test("text longer than maxStringBytes fails with tooLarge")
    func longText() {
        let limits = XMLRPCLimits(maxStringBytes: 50)
        #expect(
            parseFailure(callWithValue("<value>\(String(repeating: "a", count: 50))</value>"), limits: limits) == nil
        )
        for text in [
            String(repeating: "a", count: 51), String(repeating: "&amp;", count: 51),
            "<![CDATA[\(String(repeating: "a", count: 51))]]>", String(repeating: "a<!-- -->", count: 51),
            String(repeating: "é", count: 26),
        ] {
            #expect(parseFailure(callWithValue("<value>\(text)</value>"), limits: limits)?.code == .tooLarge)
        }
        // Whitespace between elements counts too: it is text between two tags.
        let spaced = "<methodCall>\(String(repeating: " ", count: 51))<methodName>a</methodName></methodCall>"
        #expect(parseFailure(spaced, limits: limits)?.code == .tooLarge)
    }

    @Test("hostile shapes within 64 KiB finish quickly", arguments: hostile)
    func linear(_ document: Malformed) {
        let clock = ContinuousClock()
        let start = clock.now
        let error = parseFailure(document.bytes)
        #expect(error?.code == document.code)
        #expect(clock.now - start < .seconds(2))
    }

    @Test("errors describe themselves with offset, message and kind")
    func description() throws {
        let error = try #require(parseFailure("<methodCall><methodName>init</methodName></methodCallX>"))
        #expect(error.code == .notWellFormed)
        #expect(error.offset == 41)
        #expect(error.description == "parse error at byte 41: mismatched end tag </methodCallX> (notWellFormed)")
        let truncated = try #require(parseFailure("<methodCall>"))
        #expect(truncated.description == "parse error at byte 12: unexpected end of document (notWellFormed)")
        #expect(truncated.offset == 12)
    }
}
