import GlancedServer
import GlancedTestSupport
import Glibc
import Testing

/// Hostile XML-RPC bodies against a real server on loopback: each gets the right fault (never a crash, a hang
/// or a leak), and the next client is served normally.
@Suite struct HostileInputTests {
    /// A body that must be answered with HTTP 200 and an XML-RPC fault of `code`.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var body: [UInt8]
        var code: Int

        init(_ label: String, _ body: [UInt8], code: Int = -32700) {
            self.label = label
            self.body = body
            self.code = code
        }

        init(_ label: String, _ body: String, code: Int = -32700) {
            self.init(label, Array(body.utf8), code: code)
        }

        var testDescription: String { label }
    }

    static let initCall = methodCall("init")

    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
         <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
         <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
         <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
         <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
         <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
         <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <methodCall><methodName>getCpu</methodName><params><param><value>&lol9;</value></param></params></methodCall>
        """

    static let cases: [Case] = [
        Case("empty body", ""),
        Case("truncated after the declaration", Array(initCall.prefix(22))),
        Case("truncated in <methodName>", Array(initCall.prefix(40))),
        Case("truncated before </methodCall>", Array(initCall.dropLast(5))),
        Case("mismatched end tag", "<methodCall><methodName>init</methodNme></methodCall>"),
        Case("unclosed root", "<methodCall><methodName>init</methodName>"),
        Case("two roots", "<methodCall><methodName>init</methodName></methodCall><methodCall/>"),
        Case("not a methodCall", "<methodResponse><params/></methodResponse>"),
        Case("not XML", "GET / HTTP/1.1"),
        Case("JSON-RPC", #"{"jsonrpc": "2.0", "method": "getCpu", "id": 1}"#),
        Case("binary garbage", (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }),
        Case(
            "NUL byte in the method name",
            [UInt8]("<methodCall><methodName>in".utf8) + [0] + Array("it</methodName></methodCall>".utf8)),
        Case("undefined entity", "<methodCall><methodName>&nope;</methodName></methodCall>"),
        Case("unterminated CDATA", "<methodCall><methodName><![CDATA[init</methodName></methodCall>"),
        Case("unterminated comment", "<methodCall><!-- <methodName>init</methodName></methodCall>"),
        Case("attribute without quotes", "<methodCall a=b><methodName>init</methodName></methodCall>"),
        Case("billion laughs", billionLaughs),
        Case(
            "external entity (file)",
            """
            <?xml version="1.0"?>
            <!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <methodCall><methodName>getCpu</methodName><params><param><value>&xxe;</value></param></params></methodCall>
            """),
        Case(
            "external parameter entity",
            """
            <?xml version="1.0"?>
            <!DOCTYPE foo [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>
            <methodCall><methodName>init</methodName></methodCall>
            """),
        Case(
            "external DTD",
            """
            <?xml version="1.0"?><!DOCTYPE methodCall SYSTEM "file:///etc/shadow">
            <methodCall><methodName>init</methodName></methodCall>
            """),
        Case(
            "processing instruction",
            "<?xml-stylesheet href='x'?><methodCall><methodName>init</methodName></methodCall>"),
        Case(
            "UTF-16 declared",
            "<?xml version='1.0' encoding='UTF-16'?><methodCall><methodName>init</methodName></methodCall>"),
        Case(
            "UTF-16 bytes",
            [0xFF, 0xFE] + "<methodCall><methodName>init</methodName></methodCall>".utf8.flatMap { [$0, 0] }),
        Case(
            "invalid UTF-8: lone continuation byte",
            [UInt8]("<methodCall><methodName>init</methodName><params><param><value>".utf8) + [0x80]
                + Array("</value></param></params></methodCall>".utf8)),
        Case(
            "invalid UTF-8: overlong /",
            [UInt8]("<methodCall><methodName>init</methodName><params><param><value>".utf8) + [0xC0, 0xAF]
                + Array("</value></param></params></methodCall>".utf8)),
        Case(
            "invalid UTF-8: surrogate",
            [UInt8]("<methodCall><methodName>getCpu".utf8) + [0xED, 0xA0, 0x80]
                + Array("</methodName></methodCall>".utf8)),
        Case("invalid UTF-8: truncated sequence at the end", Array(initCall) + [0xE2, 0x82]),
        Case(
            "invalid UTF-8: above U+10FFFF",
            [UInt8]("<methodCall><methodName>".utf8) + [0xF4, 0x90, 0x80, 0x80]
                + Array("</methodName></methodCall>".utf8)),
        Case(
            "forbidden character reference",
            "<methodCall><methodName>init</methodName><params><param><value>&#0;</value></param></params></methodCall>"),
        Case(
            "character reference out of range",
            "<methodCall><methodName>init</methodName><params><param><value>&#x110000;</value></param></params></methodCall>"
        ),
        Case(
            "huge character reference",
            "<methodCall><methodName>init</methodName><params><param><value>&#99999999999999999999999;</value></param></params></methodCall>"
        ),
        Case("method name of 60,000 bytes", methodCall(String(repeating: "a", count: 60_000))),
        Case("method name with markup characters", methodCall("getCpu&lt;script&gt;")),
        Case("method name with spaces", methodCall("get Cpu")),
        Case("empty method name", methodCall("")),
        Case(
            "integer overflow",
            methodCall(
                "getCpu", params: "<params><param><value><int>99999999999999999999</int></value></param></params>")),
        Case(
            "bad boolean",
            methodCall("getCpu", params: "<params><param><value><boolean>2</boolean></value></param></params>")),
        Case(
            "bad base64",
            methodCall("getCpu", params: "<params><param><value><base64>!!!</base64></value></param></params>")),
        Case(
            "bad double",
            methodCall("getCpu", params: "<params><param><value><double>1e</double></value></param></params>")),
        Case(
            "unknown value type",
            methodCall("getCpu", params: "<params><param><value><object/></value></param></params>")),
        Case(
            "array without data",
            methodCall("getCpu", params: "<params><param><value><array/></value></param></params>")),
        Case(
            "member without name",
            methodCall(
                "getCpu",
                params: "<params><param><value><struct><member><value/></member></struct></value></param></params>")),
        Case(
            "deep nesting under the body limit",
            methodCall("getCpu", params: "<params><param>" + String(repeating: "<value><array><data>", count: 3_000))),
        Case(
            "8,000 nested elements",
            "<methodCall>" + String(repeating: "<a>", count: 8_000) + String(repeating: "</a>", count: 8_000)
                + "</methodCall>"),
        // Well-formed calls a Glances method cannot take: fault 1.
        Case("unknown method", methodCall("getNothing"), code: 1),
        Case(
            "1,400 parameters",
            methodCall(
                "getCpu",
                params: "<params>" + String(repeating: "<param><value><i4>1</i4></value></param>", count: 1_400)
                    + "</params>"), code: 1),
        Case("method name of 256 bytes", methodCall("get" + String(repeating: "X", count: 253)), code: 1),
        Case(
            "getCpu with an int",
            methodCall("getCpu", params: "<params><param><value><int>1</int></value></param></params>"), code: 1),
        Case(
            "getCpu with a string",
            methodCall("getCpu", params: "<params><param><value><string>x</string></value></param></params>"), code: 1),
        Case(
            "getCpu with a struct",
            methodCall(
                "getCpu",
                params:
                    "<params><param><value><struct><member><name>a</name><value><int>1</int></value></member></struct></value></param></params>"
            ), code: 1),
        Case(
            "getCpu with an array",
            methodCall(
                "getCpu",
                params:
                    "<params><param><value><array><data><value><i4>1</i4></value></data></array></value></param></params>"
            ), code: 1),
        Case(
            "getCpu with base64",
            methodCall("getCpu", params: "<params><param><value><base64>aGVsbG8=</base64></value></param></params>"),
            code: 1),
        Case(
            "getCpu with nil", methodCall("getCpu", params: "<params><param><value><nil/></value></param></params>"),
            code: 1),
        Case(
            "getAll with a double and a boolean",
            methodCall(
                "getAll",
                params:
                    "<params><param><value><double>1.5</double></value></param><param><value><boolean>1</boolean></value></param></params>"
            ), code: 1),
        Case(
            "init with a dateTime",
            methodCall(
                "init",
                params:
                    "<params><param><value><dateTime.iso8601>20240101T00:00:00</dateTime.iso8601></value></param></params>"
            ), code: 1),
        Case(
            "system.methodHelp with an int",
            methodCall("system.methodHelp", params: "<params><param><value><int>1</int></value></param></params>"),
            code: 1),
    ]

    @Test(arguments: cases)
    func hostileBodyGetsAFault(_ hostile: Case) async throws {
        try await withServer { port throws in
            let started = monotonicNow()
            let reply = try post(port, hostile.body)
            #expect(monotonicNow() - started < timeLimit(2), "answered promptly")
            #expect(reply.status == 200)
            guard case .fault(let code, let message) = RPCResult(reply.body) else {
                Issue.record("not a fault: \(reply.text.prefix(300))")
                return
            }
            #expect(code == hostile.code, "\(message)")
            #expect(!message.contains("root:"), "no file content in the fault")
            #expect(reply.body.count < 4_096, "the fault does not echo the body")
            expectServed(port)
        }
    }

    @Test func faultForAMethodWithArgumentsNamesIt() async throws {
        try await withServer { port throws in
            let reply = try post(
                port, methodCall("getCpu", params: "<params><param><value><int>1</int></value></param></params>"))
            guard case .fault(1, let message) = RPCResult(reply.body) else {
                Issue.record("not fault 1: \(reply.text)")
                return
            }
            #expect(message.contains("getCpu"))
        }
    }

    /// 100,000 nested elements: over the default body limit (413); with the limit raised, the parser's depth and
    /// element limits answer with a fault, in linear time and without recursion.
    @Test func hundredThousandNestedElements() async throws {
        let nestedArrays = methodCall(
            "getCpu", params: "<params><param>" + String(repeating: "<value><array><data>", count: 100_000))
        let nestedElements = Array(("<methodCall>" + String(repeating: "<a>", count: 100_000)).utf8)
        let siblings = methodCall(
            "getCpu",
            params: "<params>" + String(repeating: "<param><value><i4>1</i4></value></param>", count: 100_000)
                + "</params>")
        try await withServer { port throws in
            for body in [nestedArrays, nestedElements, siblings] {
                let reply = try post(port, body)
                #expect(reply.status == 413)
                expectServed(port)
            }
        }
        try await withServer(configuredBy: { $0.maxBodyBytes = 8 << 20 }) { port throws in
            for body in [nestedArrays, nestedElements, siblings] {
                let started = monotonicNow()
                let reply = try post(port, body)
                #expect(monotonicNow() - started < timeLimit(2))
                #expect(reply.status == 200)
                guard case .fault(-32700, _) = RPCResult(reply.body) else {
                    Issue.record("not a parse fault: \(reply.text.prefix(300))")
                    continue
                }
                expectServed(port)
            }
        }
    }

    /// Three requests in one write: three replies, in order, on the same connection.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            try #require(
                client.send(
                    rawPost(methodCall("init")) + rawPost(methodCall("getNothing"))
                        + rawPost(methodCall("getAllPlugins"))))
            let first = try client.readResponse()
            let second = try client.readResponse()
            let third = try client.readResponse()
            #expect(RPCResult(first.body) == .string("2.0"))
            #expect(RPCResult(second.body) == .fault(code: 1, message: "method \"getNothing\" is not supported"))
            #expect(try RPCResult(third.body).json().items.count > 10)
            // The connection is still good for a fourth.
            try #require(client.send(rawPost(methodCall("init"))))
            #expect(RPCResult(try client.readResponse().body) == .string("2.0"))
            expectServed(port)
        }
    }

    /// Pipelined requests with bad ones between good ones: each gets its own answer, in order.
    @Test func pipelinedMixOfGoodAndBadRequests() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            let malformed = Array("<methodCall><methodName>init".utf8)
            try #require(
                client.send(
                    rawPost(methodCall("init")) + rawPost(malformed) + rawHead("GET /RPC2 HTTP/1.1", ["Host: x"])
                        + rawPost(methodCall("init"), path: "/nope") + rawPost(methodCall("getCore"))))
            #expect(RPCResult(try client.readResponse().body) == .string("2.0"))
            guard case .fault(-32700, _) = RPCResult(try client.readResponse().body) else {
                Issue.record("the malformed request is not a parse fault")
                return
            }
            #expect(try client.readResponse().status == 405)
            #expect(try client.readResponse().status == 404)
            let core = try client.readResponse()
            #expect(core.status == 200)
            #expect(try RPCResult(core.body).json()["log"] != nil)
            expectServed(port)
        }
    }

    /// Many pipelined requests in one write (more than one read's worth): all answered, in order.
    @Test func hundredsOfPipelinedRequests() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            let methods = (0..<300).map { $0 % 3 == 0 ? "init" : $0 % 3 == 1 ? "getNothing\($0)" : "getLoad" }
            try #require(client.send(methods.flatMap { rawPost(methodCall($0)) }))
            for method in methods {
                let reply = RPCResult(try client.readResponse().body)
                switch method {
                case "init": #expect(reply == .string("2.0"))
                case "getLoad": #expect(try reply.json()["min1"] != nil)
                default: #expect(reply == .fault(code: 1, message: "method \"\(method)\" is not supported"))
                }
            }
            expectServed(port)
        }
    }
}

// MARK: - Helpers shared by the hostile, limit, soak and local-fault suites

/// Expects the server on `port` to serve a fresh client normally: `init` on a new connection answers "2.0".
func expectServed(_ port: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        #expect(try call(port, "init") == .string("2.0"), sourceLocation: sourceLocation)
    } catch {
        Issue.record("the next client was not served: \(error)", sourceLocation: sourceLocation)
    }
}

/// The file descriptors this process has open now (the server under test runs in it).
func openDescriptorCount() -> Int {
    guard let directory = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while readdir(directory) != nil { count += 1 }
    return count - 3  // ".", ".." and the directory itself
}

/// Waits up to `seconds` for `condition`, polling every 20 ms; returns whether it held.
func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicNow() + seconds
    while monotonicNow() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// A `methodCall` document: `<methodName>name</methodName>`, then `params` (raw XML).
func methodCall(_ name: String, params: String = "") -> [UInt8] {
    Array("<?xml version='1.0'?>\n<methodCall><methodName>\(name)</methodName>\(params)</methodCall>\n".utf8)
}
