import GlancedXMLRPC
import Testing

/// Every kind of value, including the edges of each.
private let samples: [XMLRPCValue] = [
    .int(0), .int(1), .int(-1), .int(2_147_483_647), .int(-2_147_483_648), .int(Int.max), .int(Int.min),
    .bool(true), .bool(false),
    .string(""), .string("hello"), .string("a&b<c>d\"e'f"), .string("&amp; &lt; &#65; ]]> <![CDATA[x]]>"),
    .string("é中😀\u{7F}\u{85}\u{FFFD}"), .string("  leading and trailing  "), .string("tab\tline\nfeed"),
    .string(#"{"cpu": {"total": 5.0}, "cmdline": "a && b"}"#), .string(String(repeating: "x", count: 10_000)),
    .double(0), .double(0.1), .double(-2.5), .double(1e300), .double(-1e-300), .double(.leastNonzeroMagnitude),
    .double(.greatestFiniteMagnitude), .double(.infinity), .double(-.infinity), .double(123_456_789.125),
    .dateTime("20240101T12:00:00"), .dateTime(""),
    .base64([]), .base64([0]), .base64([0xFF, 0xFE]), .base64([1, 2, 3]), .base64(Array(0...255)),
    .base64(Array(repeating: 0xAB, count: 57)), .base64(Array(repeating: 0xAB, count: 58)),
    .array([]), .array([.int(1), .string("x"), .null, .bool(false)]),
    .structure([]),
    .structure([
        XMLRPCMember(name: "b", value: .int(2)), XMLRPCMember(name: "a", value: .null),
        XMLRPCMember(name: "b", value: .string("dup")), XMLRPCMember(name: "", value: .string("")),
        XMLRPCMember(name: "<&>", value: .double(1.5)),
    ]),
    .null,
    .array([
        .array([.array([])]),
        .structure([
            XMLRPCMember(name: "list", value: .array([.base64([1]), .dateTime("x"), .structure([])]))
        ]),
    ]),
]

@Suite("XMLRPCValue survives writing and reading back")
struct XMLRPCValueTests {
    @Test("each value written by XMLRPCResponse.value reads back from a methodCall", arguments: samples)
    func responseRoundTrip(_ value: XMLRPCValue) throws {
        let response = XMLRPCResponse.value(value)
        let prefix = Array("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n".utf8)
        let suffix = Array("</param>\n</params>\n</methodResponse>\n".utf8)
        try #require(response.starts(with: prefix) && response.suffix(suffix.count).elementsEqual(suffix))
        let valueBytes = response[prefix.count..<(response.count - suffix.count)]
        let request =
            Array("<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n<param>\n".utf8)
            + valueBytes + Array("</param>\n</params>\n</methodCall>\n".utf8)
        // The value writer and the request writer agree byte for byte.
        #expect(request == XMLRPCMethodCall.request(method: "m", params: [value]))
        let call = try XMLRPCMethodCall.parse(request, limits: XMLRPCLimits(maxBytes: 1 << 20))
        #expect(call == XMLRPCMethodCall(methodName: "m", params: [value]))
    }

    @Test("all values together as the parameters of one request")
    func requestRoundTrip() throws {
        let document = XMLRPCMethodCall.request(method: "system.multicall", params: samples)
        let call = try XMLRPCMethodCall.parse(document, limits: XMLRPCLimits(maxBytes: 1 << 20))
        #expect(call.methodName == "system.multicall")
        #expect(call.params == samples)
    }

    @Test("doubles keep every bit, negative zero and nan included")
    func doubleBits() throws {
        var generator = SplitMix64(state: 7)
        var doubles: [Double] = [-0.0, .nan, .ulpOfOne, 1 / 3, .pi, 1e16, 1e-7, 2.5e-5]
        for _ in 0..<500 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            doubles.append(Double(bitPattern: bits))
        }
        for number in doubles {
            let document = XMLRPCMethodCall.request(method: "m", params: [.double(number)])
            guard case .double(let read) = try XMLRPCMethodCall.parse(document).params.first else {
                Issue.record("\(number) did not read back as a double")
                continue
            }
            if number.isNaN {
                #expect(read.isNaN)
            } else {
                #expect(read.bitPattern == number.bitPattern, "\(number) read back as \(read)")
            }
        }
    }

    @Test("base64 of every length up to 200 bytes")
    func base64Lengths() throws {
        var generator = SplitMix64(state: 3)
        for length in 0...200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let document = XMLRPCMethodCall.request(method: "m", params: [.base64(bytes)])
            #expect(try XMLRPCMethodCall.parse(document).params == [.base64(bytes)])
        }
    }

    @Test("strings lose what XML cannot carry: controls become U+FFFD, CR becomes LF")
    func lossyStrings() throws {
        let document = XMLRPCMethodCall.request(method: "m", params: [.string("a\u{0}b\u{1B}c\r\nd\re\u{FFFE}")])
        #expect(try XMLRPCMethodCall.parse(document).params == [.string("a\u{FFFD}b\u{FFFD}c\nd\ne\u{FFFD}")])
    }
}
