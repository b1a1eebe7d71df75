import GlancedXMLRPC
import Testing

@Suite("XMLRPCResponse writes what Python's xmlrpc.server writes")
struct XMLRPCResponseTests {
    @Test("a string response escapes & < > only and keeps non-ASCII bytes")
    func stringResponse() {
        // python3 -c "import xmlrpc.client as x; print(repr(x.dumps(('a&b<c>d\'\"é',), methodresponse=True)))"
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
            + "<value><string>a&amp;b&lt;c&gt;d'\"é</string></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.string("a&b<c>d'\"é") == Array(expected.utf8))
        #expect(XMLRPCResponse.string(Array("a&b<c>d'\"é".utf8)) == Array(expected.utf8))
    }

    @Test("an empty string response")
    func emptyString() {
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
            + "<value><string></string></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.string("") == Array(expected.utf8))
        #expect(XMLRPCResponse.string([UInt8]()) == Array(expected.utf8))
    }

    @Test("a JSON body as Glances sends it")
    func jsonBody() {
        let json = #"{"cpu": {"total": 5.0, "user": 1.5}, "cmdline": "a && b < c > d"}"#
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>"
            + #"{"cpu": {"total": 5.0, "user": 1.5}, "cmdline": "a &amp;&amp; b &lt; c &gt; d"}"#
            + "</string></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.string(json) == Array(expected.utf8))
    }

    @Test("control characters and invalid UTF-8 become U+FFFD; tab, LF, CR stay")
    func replacement() {
        let input: [UInt8] =
            [0x61, 0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x62]
            + [0xFF, 0xE2, 0x82, 0x63, 0xED, 0xA0, 0x80, 0xEF, 0xBF, 0xBF, 0xF4, 0x90, 0x80, 0x80]
        let body = XMLRPCResponse.string(input)
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>"
            + "a\u{FFFD}\u{FFFD}\t\n\r\u{FFFD}\u{7F}b"
            + "\u{FFFD}\u{FFFD}c\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
            + "</string></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(body == Array(expected.utf8))
    }

    @Test("random bytes: escaped text equals Swift's own repair of the bytes, and reads back")
    func randomBytes() throws {
        var generator = SplitMix64(state: 42)
        for round in 0..<300 {
            let length = Int.random(in: 0..<64, using: &generator)
            let input = (0..<length).map { _ in
                // Mostly multi-byte material, some ASCII specials.
                let pick = UInt8.random(in: 0...255, using: &generator)
                return round % 2 == 0 ? pick : [0x26, 0x3C, 0x3E, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0x41][Int(pick) % 9]
            }
            let reference = repaired(input)
            let escaped = escapedReference(reference)
            let body = XMLRPCResponse.string(input)
            #expect(body == XMLRPCResponse.string(reference))
            #expect(String(decoding: body, as: UTF8.self).contains("<value><string>\(escaped)</string></value>"))
            // The same text inside a request reads back, CR becoming LF as in any XML reader.
            let call = try XMLRPCMethodCall.parse(XMLRPCMethodCall.request(method: "m", params: [.string(reference)]))
            let expected = reference.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
            #expect(call.params == [.string(expected)])
        }
    }

    @Test("every byte value at every offset of a 24-byte run, across the eight-byte fast path")
    func everyByteEveryOffset() {
        let prefix = Array("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>".utf8)
        let suffix = Array("</string></value>\n</param>\n</params>\n</methodResponse>\n".utf8)
        for offset in 0..<24 {
            for byte in UInt8.min...UInt8.max {
                var input = Array(repeating: UInt8(ascii: "a"), count: 24)
                input[offset] = byte
                let expected = prefix + Array(escapedReference(repaired(input)).utf8) + suffix
                #expect(XMLRPCResponse.string(input) == expected, "byte \(byte) at \(offset)")
            }
        }
    }

    @Test("a 500 KB JSON body is copied and escaped exactly")
    func largeBody() {
        var json: [UInt8] = []
        while json.count < 500_000 {
            json += Array(#"{"pid": 1234, "name": "sh", "cmdline": "/bin/sh -c a&&b<c", "cpu_percent": 0.0}, "#.utf8)
        }
        let body = XMLRPCResponse.string(json)
        var expected = Array("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>".utf8)
        for byte in json {
            switch byte {
            case UInt8(ascii: "&"): expected += Array("&amp;".utf8)
            case UInt8(ascii: "<"): expected += Array("&lt;".utf8)
            case UInt8(ascii: ">"): expected += Array("&gt;".utf8)
            default: expected.append(byte)
            }
        }
        expected += Array("</string></value>\n</param>\n</params>\n</methodResponse>\n".utf8)
        #expect(body == expected)
    }

    @Test("a fault is the struct Python writes")
    func fault() {
        // python3 -c "import xmlrpc.client as x; print(repr(x.dumps(x.Fault(1, 'method \"x\" is not supported'))))"
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
            + "<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
            + "<value><string>method \"x\" is not supported</string></value>\n</member>\n</struct></value>\n"
            + "</fault>\n</methodResponse>\n"
        #expect(XMLRPCResponse.fault(code: 1, message: "method \"x\" is not supported") == Array(expected.utf8))
    }

    @Test("a parse error's fault carries -32700 and the error's description, escaped")
    func parseErrorFault() {
        let error = XMLRPCError(.notWellFormed, offset: 7, "mismatched end tag </a&b>")
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
            + "<value><int>-32700</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
            + "<value><string>parse error at byte 7: mismatched end tag &lt;/a&amp;b&gt; (notWellFormed)"
            + "</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n"
        #expect(XMLRPCResponse.fault(error) == Array(expected.utf8))
        #expect(XMLRPCError.faultCode == -32700)
    }

    @Test("an array holding nil and an int, laid out as Python lays it out")
    func arrayWithNil() {
        // python3 -c "import xmlrpc.client as x;
        //   print(repr(x.dumps(([None, 1],), methodresponse=True, allow_none=True)))"
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
            + "<value><nil/></value><value><int>1</int></value>\n</data></array></value>\n"
            + "</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.value(.array([.null, .int(1)])) == Array(expected.utf8))
    }

    @Test("an array of method names, as system.listMethods answers")
    func listMethods() {
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
            + "<value><string>getAll</string></value>\n<value><string>init</string></value>\n"
            + "</data></array></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.value(.array([.string("getAll"), .string("init")])) == Array(expected.utf8))
    }

    @Test("base64 in 76-character lines, as base64.encodebytes writes them")
    func base64Lines() {
        // python3 -c "import xmlrpc.client as x;
        //   print(repr(x.dumps((x.Binary(bytes(range(100))),), methodresponse=True)))"
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><base64>\n"
            + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n"
            + "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiYw==\n"
            + "</base64></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.value(.base64(Array(0..<100))) == Array(expected.utf8))
        let empty =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><base64>\n"
            + "</base64></value>\n</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.value(.base64([])) == Array(empty.utf8))
    }

    @Test(
        "doubles are written as Python's repr writes them",
        arguments: [
            // python3: [repr(v) for v in (1e100, 0.1, -0.0, 1e-7, 123456789012345678.0, 1e16, 1e15, 5e-324, ...)]
            (1e100, "1e+100"), (0.1, "0.1"), (-0.0, "-0.0"), (1e-7, "1e-07"),
            (123_456_789_012_345_678.0, "1.2345678901234568e+17"), (1e16, "1e+16"),
            (1e15, "1000000000000000.0"), (Double.leastNonzeroMagnitude, "5e-324"),
            (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (100.0, "100.0"), (2.5e-5, "2.5e-05"),
            (Double.nan, "nan"), (Double.infinity, "inf"), (-Double.infinity, "-inf"),
        ]
    )
    func doubles(value: Double, text: String) {
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><double>\(text)</double></value>\n"
            + "</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.value(.double(value)) == Array(expected.utf8))
    }

    @Test("a struct: members in order, names escaped")
    func structure() {
        let value = XMLRPCValue.structure([
            XMLRPCMember(name: "b&", value: .bool(true)),
            XMLRPCMember(name: "a", value: .dateTime("20240101T12:00:00")),
        ])
        let expected =
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n"
            + "<member>\n<name>b&amp;</name>\n<value><boolean>1</boolean></value>\n</member>\n"
            + "<member>\n<name>a</name>\n"
            + "<value><dateTime.iso8601>20240101T12:00:00</dateTime.iso8601></value>\n</member>\n</struct></value>\n"
            + "</param>\n</params>\n</methodResponse>\n"
        #expect(XMLRPCResponse.value(value) == Array(expected.utf8))
    }

    @Test("a request is what xmlrpc.client.dumps(params, method) writes")
    func request() {
        // python3 -c "import xmlrpc.client as x; print(repr(x.dumps((), 'init')))"
        let initCall =
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>init</methodName>\n<params>\n</params>\n"
            + "</methodCall>\n"
        #expect(XMLRPCMethodCall.request(method: "init") == Array(initCall.utf8))
        #expect(XMLRPCMethodCall(methodName: "init").serialized == Array(initCall.utf8))
        #expect(XMLRPCMethodCall.request(method: "m", params: PythonDocuments.mixedParams) == PythonDocuments.mixed)
    }
}

/// `bytes` as Swift repairs them (U+FFFD per maximal invalid subpart), then XML's forbidden characters as U+FFFD.
private func repaired(_ bytes: [UInt8]) -> String {
    var text = ""
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x1_0000...: text.unicodeScalars.append(scalar)
        default: text.unicodeScalars.append("\u{FFFD}")
        }
    }
    return text
}

/// `text` with & < > escaped, the slow obvious way.
private func escapedReference(_ text: String) -> String {
    text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
}
