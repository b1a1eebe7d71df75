import GlancedXMLRPC
import Testing

@Suite("XMLRPCMethodCall.parse reads what XML-RPC clients send")
struct XMLRPCMethodCallTests {
    @Test("Python's init and getAll calls")
    func pythonCalls() throws {
        #expect(try XMLRPCMethodCall.parse(PythonDocuments.initCall) == XMLRPCMethodCall(methodName: "init"))
        #expect(try XMLRPCMethodCall.parse(PythonDocuments.getAll) == XMLRPCMethodCall(methodName: "getAll"))
    }

    @Test("Python's calls with parameters")
    func pythonParams() throws {
        #expect(
            try XMLRPCMethodCall.parse(PythonDocuments.methodHelp)
                == XMLRPCMethodCall(methodName: "system.methodHelp", params: [.string("getCpu")])
        )
        #expect(
            try XMLRPCMethodCall.parse(PythonDocuments.echo)
                == XMLRPCMethodCall(methodName: "echo", params: [.string("a&b<c>é€😀")])
        )
        #expect(
            try XMLRPCMethodCall.parse(PythonDocuments.mixed)
                == XMLRPCMethodCall(methodName: "m", params: PythonDocuments.mixedParams)
        )
        let deep = XMLRPCValue.structure([
            XMLRPCMember(
                name: "k",
                value: .array([.int(1), .structure([XMLRPCMember(name: "z", value: .double(2.5))])])
            ),
            XMLRPCMember(name: "e", value: .array([])),
        ])
        #expect(
            try XMLRPCMethodCall.parse(PythonDocuments.deep) == XMLRPCMethodCall(methodName: "deep", params: [deep])
        )
    }

    @Test(
        "params absent, empty or self-closing; declaration, BOM and comments optional",
        arguments: [
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>init</methodName>\n</methodCall>\n",
            "<methodCall><methodName>init</methodName></methodCall>",
            "<methodCall><methodName>init</methodName><params/></methodCall>",
            "<methodCall><methodName>init</methodName><params></params></methodCall>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>init</methodName></methodCall>",
            "<?xml version=\"1.0\" encoding=\"us-ascii\" standalone=\"yes\" ?>\r\n<methodCall>\r\n"
                + "<methodName>init</methodName>\r\n<params>\r\n</params>\r\n</methodCall>\r\n",
            "\u{FEFF}<?xml version='1.0'?><methodCall><methodName>init</methodName></methodCall>",
            "\u{FEFF}<methodCall><methodName>init</methodName></methodCall>",
            "<!-- a --><methodCall><!-- b --><methodName>in<!-- c -->it</methodName><!-- d --><params><!-- e -->"
                + "</params><!-- f --></methodCall><!-- g -->\n",
            "  \n\t<methodCall ><methodName >init</methodName\n></methodCall\t>\n\n",
            "<methodCall xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\" a='1' b = \"&amp;&#65;'\">"
                + "<methodName>init</methodName></methodCall>",
            "<methodCall><methodName><![CDATA[init]]></methodName></methodCall>",
            "<methodCall><methodName>&#105;&#x6E;it</methodName></methodCall>",
        ]
    )
    func initForms(document: String) throws {
        #expect(try parse(document) == XMLRPCMethodCall(methodName: "init"))
    }

    @Test("method names may use letters, digits, _ . : /")
    func methodNames() throws {
        let name = "system.methodHelp:v2/ABC_xyz_09"
        #expect(try parse("<methodCall><methodName>\(name)</methodName></methodCall>").methodName == name)
        let longest = String(repeating: "a", count: 256)
        #expect(try parse("<methodCall><methodName>\(longest)</methodName></methodCall>").methodName == longest)
    }

    @Test(
        "every value form reads as Python reads it",
        arguments: [
            ("<value>bare text</value>", XMLRPCValue.string("bare text")),
            ("<value> spaced </value>", .string(" spaced ")),
            ("<value></value>", .string("")),
            ("<value/>", .string("")),
            ("<value><string/></value>", .string("")),
            ("<value><string></string></value>", .string("")),
            ("<value>\n  <string>x</string>\n</value>", .string("x")),
            ("<value><string> a  b </string></value>", .string(" a  b ")),
            ("<value><string>&amp;&lt;&gt;&quot;&apos;</string></value>", .string("&<>\"'")),
            ("<value><string>&#65;&#x42;&#x1F600;&#233;</string></value>", .string("AB😀é")),
            ("<value><string>&#13;</string></value>", .string("\r")),
            ("<value><string>a\r\nb\rc\nd</string></value>", .string("a\nb\nc\nd")),
            ("<value><string><![CDATA[<x>&amp;]]></string></value>", .string("<x>&amp;")),
            ("<value><string>a<![CDATA[]]>b<!-- c -->c</string></value>", .string("abc")),
            ("<value><string>]]</string></value>", .string("]]")),
            ("<value><string>a>b</string></value>", .string("a>b")),
            ("<value><int>42</int></value>", .int(42)),
            ("<value><int> -42 </int></value>", .int(-42)),
            ("<value><int>+7</int></value>", .int(7)),
            ("<value><int>\n007\n</int></value>", .int(7)),
            ("<value><i4>-2147483648</i4></value>", .int(-2_147_483_648)),
            ("<value><i8>9223372036854775807</i8></value>", .int(Int.max)),
            ("<value><i8>-9223372036854775808</i8></value>", .int(Int.min)),
            ("<value><i1>1</i1></value>", .int(1)),
            ("<value><ex:i8>5</ex:i8></value>", .int(5)),
            ("<value><boolean>0</boolean></value>", .bool(false)),
            ("<value><boolean>1</boolean></value>", .bool(true)),
            ("<value><double>1.5</double></value>", .double(1.5)),
            ("<value><double> -2.5e-3 </double></value>", .double(-0.0025)),
            ("<value><double>1e+100</double></value>", .double(1e100)),
            ("<value><double>.5</double></value>", .double(0.5)),
            ("<value><double>5.</double></value>", .double(5)),
            ("<value><double>7</double></value>", .double(7)),
            ("<value><double>inf</double></value>", .double(.infinity)),
            ("<value><double>-Infinity</double></value>", .double(-.infinity)),
            ("<value><float>0.25</float></value>", .double(0.25)),
            ("<value><dateTime.iso8601>20240101T12:00:00</dateTime.iso8601></value>", .dateTime("20240101T12:00:00")),
            ("<value><base64>aGkA</base64></value>", .base64([0x68, 0x69, 0x00])),
            ("<value><base64>\naGk=\n</base64></value>", .base64([0x68, 0x69])),
            ("<value><base64>a G\tk A</base64></value>", .base64([0x68, 0x69, 0x00])),
            ("<value><base64>QQ==</base64></value>", .base64([0x41])),
            ("<value><base64/></value>", .base64([])),
            ("<value><nil/></value>", .null),
            ("<value><nil></nil></value>", .null),
            ("<value><ex:nil/></value>", .null),
            ("<value><array><data/></array></value>", .array([])),
            ("<value><array>\n<data>\n</data>\n</array></value>", .array([])),
            (
                "<value><array><data><value>a</value><value><int>1</int></value></data></array></value>",
                .array([.string("a"), .int(1)])
            ),
            ("<value><struct/></value>", .structure([])),
            (
                "<value><struct><member><name>a</name><value/></member><member><name/><value><i4>1</i4></value>"
                    + "</member><member><name>a</name><value>2</value></member></struct></value>",
                .structure([
                    XMLRPCMember(name: "a", value: .string("")), XMLRPCMember(name: "", value: .int(1)),
                    XMLRPCMember(name: "a", value: .string("2")),
                ])
            ),
            (
                "<value><array><data><value><array><data><value><struct><member><name>x</name><value><array><data>"
                    + "</data></array></value></member></struct></value></data></array></value></data></array></value>",
                .array([.array([.structure([XMLRPCMember(name: "x", value: .array([]))])])])
            ),
        ]
    )
    func values(xml: String, expected: XMLRPCValue) throws {
        #expect(try parseValue(xml) == expected)
    }

    @Test("nan reads as nan")
    func notANumber() throws {
        for text in ["nan", "NaN", "-nan", " nan "] {
            guard case .double(let value) = try parseValue("<value><double>\(text)</double></value>") else {
                Issue.record("\(text) did not read as a double")
                continue
            }
            #expect(value.isNaN)
        }
    }

    @Test("several parameters keep their order")
    func paramOrder() throws {
        let call = try parse(
            "<methodCall><methodName>f</methodName><params><param><value>1</value></param>"
                + "<param><value><int>2</int></value></param><param><value/></param></params></methodCall>"
        )
        #expect(call.params == [.string("1"), .int(2), .string("")])
    }

    @Test("the overloads for raw memory and other collections read the same")
    func overloads() throws {
        let expected = XMLRPCMethodCall(methodName: "system.methodHelp", params: [.string("getCpu")])
        let fromRaw = try PythonDocuments.methodHelp.withUnsafeBytes { (raw) throws(XMLRPCError) in
            try XMLRPCMethodCall.parse(raw)
        }
        #expect(fromRaw == expected)
        #expect(try XMLRPCMethodCall.parse(PythonDocuments.methodHelp[...]) == expected)
        #expect(
            try XMLRPCMethodCall.parse(String(decoding: PythonDocuments.methodHelp, as: UTF8.self).utf8) == expected
        )
    }

    @Test("the default limits allow depth 32 and fail at 33")
    func depthBoundary() throws {
        // methodCall, params, param, value = 4; each array adds array, data, value = 3.
        func nested(_ arrays: Int) -> String {
            var value = "<value>x</value>"
            for _ in 0..<arrays {
                value = "<value><array><data>\(value)</data></array></value>"
            }
            return callWithValue(value)
        }
        var expected = XMLRPCValue.string("x")
        for _ in 0..<9 {
            expected = .array([expected])
        }
        #expect(try parse(nested(9)).params == [expected])  // 4 + 27 + the innermost value's text = depth 31
        let deeper =
            "<value><array><data>\(String(repeating: "<value><array><data>", count: 8))"
            + "<value><string>x</string></value>"
            + "\(String(repeating: "</data></array></value>", count: 8))</data></array></value>"
        #expect(throws: Never.self) { try parse(callWithValue(deeper)) }  // string element: depth 32
        #expect(parseFailure(nested(10))?.code == .tooDeep)
    }

    @Test("deep nesting within raised limits parses without recursing per level")
    func deepWithRaisedLimits() throws {
        let levels = 2_000
        let document = callWithValue(
            String(repeating: "<value><array><data>", count: levels) + "<value><int>1</int></value>"
                + String(repeating: "</data></array></value>", count: levels)
        )
        let limits = XMLRPCLimits(maxBytes: 1 << 20, maxDepth: 10_000, maxElements: 10_000)
        var value = try #require(try parse(document, limits: limits).params.first)
        var depth = 0
        while case .array(let items) = value, items.count == 1 {
            value = items[0]
            depth += 1
        }
        #expect(depth == levels)
        #expect(value == .int(1))
    }
}
