import GlancedXMLRPC
import Testing

/// Where in a document the probe bytes go; `@` marks the spot.
private let positions = [
    "<methodCall><methodName>m</methodName><params><param><value><string>@</string></value></param></params>"
        + "</methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value>@</value></param></params></methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><int>1@</int></value></param></params></methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><double>1@</double></value></param></params>"
        + "</methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><base64>QQ@=</base64></value></param></params>"
        + "</methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><struct><member><name>@</name><value/></member>"
        + "</struct></value></param></params></methodCall>",
    "<methodCall><methodName>a@b</methodName></methodCall>",
    "<methodCall><methodName>m</methodName><par@ams/></methodCall>",
    "<methodCall a=\"@\"><methodName>m</methodName></methodCall>",
    "<methodCall a='@'><methodName>m</methodName></methodCall>",
    "<methodCall@><methodName>m</methodName></methodCall>",
    "<methodCall><methodName>m</methodName></methodCall>@",
    "@<methodCall><methodName>m</methodName></methodCall>",
    "<?xml version='1.0'@?><methodCall><methodName>m</methodName></methodCall>",
    "<!-- @ --><methodCall><methodName>m</methodName></methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><string><![CDATA[@]]></string></value></param>"
        + "</params></methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><string>&@;</string></value></param></params>"
        + "</methodCall>",
    "<methodCall><methodName>m</methodName><params><param><value><string>&#@;</string></value></param></params>"
        + "</methodCall>",
]

/// The document with `probe` in place of `@`.
private func document(_ position: String, _ probe: [UInt8]) -> [UInt8] {
    let template = Array(position.utf8)
    guard let spot = template.firstIndex(of: UInt8(ascii: "@")) else { return template }
    return Array(template[..<spot]) + probe + Array(template[(spot + 1)...])
}

@Suite("The tokenizer over every byte value")
struct XMLTokenizerTests {
    @Test("every byte in every position: a result or a typed error, never a crash", arguments: positions)
    func everyByte(position: String) {
        for byte in UInt8.min...UInt8.max {
            let bytes = document(position, [byte])
            do {
                _ = try XMLRPCMethodCall.parse(bytes)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("every byte inside <string>: exactly the XML 1.0 rules")
    func everyByteInString() throws {
        let stringOffset = Array(positions[0].utf8).firstIndex(of: UInt8(ascii: "@"))
        #expect(stringOffset == 68)
        for byte in UInt8.min...UInt8.max {
            let bytes = document(positions[0], [byte])
            let result = Result { () throws(XMLRPCError) in try XMLRPCMethodCall.parse(bytes).params }
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: "&"):
                #expect(throws: XMLRPCError.self) { try result.get() }
                #expect(parseFailure(bytes)?.code == .notWellFormed, "byte \(byte)")
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F:
                #expect(parseFailure(bytes)?.code == .notWellFormed, "byte \(byte)")
                #expect(parseFailure(bytes)?.offset == stringOffset, "byte \(byte)")
            case 0x80...0xFF:
                #expect(parseFailure(bytes)?.code == .invalidEncoding, "byte \(byte)")
                #expect(parseFailure(bytes)?.offset == stringOffset, "byte \(byte)")
            case UInt8(ascii: "\r"):
                #expect(try result.get() == [.string("\n")])
            default:
                #expect(try result.get() == [.string(String(UnicodeScalar(byte)))], "byte \(byte)")
            }
        }
    }

    @Test("every pair of bytes inside <string> and as bare text: a valid result or a typed error")
    func everyPair() throws {
        for position in positions[0...1] {
            for first in UInt8.min...UInt8.max {
                for second in UInt8.min...UInt8.max {
                    let probe = [first, second]
                    let bytes = document(position, probe)
                    do {
                        let params = try XMLRPCMethodCall.parse(bytes).params
                        // Whatever parses is exactly the text, once line ends and the two entities are accounted for.
                        guard case .string(let text) = params.first else {
                            Issue.record("\(probe) parsed as \(params)")
                            continue
                        }
                        let expected = String(decoding: probe, as: UTF8.self).replacing("\r\n", with: "\n")
                            .replacing("\r", with: "\n")
                        #expect(text == expected, "\(probe)")
                    } catch {
                        #expect(error.offset >= 0 && error.offset <= bytes.count)
                    }
                }
            }
        }
    }

    @Test("every byte after '&' and '&#' in text, and in an element name")
    func referencesAndNames() {
        for byte in UInt8.min...UInt8.max {
            // A one-byte entity name is never one of the five: only an error can come out.
            #expect(parseFailure(document(positions[16], [byte])) != nil, "&\(byte);")
            let reference = parseFailure(document(positions[17], [byte]))
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                // &#0; … &#8; are not XML characters; &#9; (tab) is.
                #expect((reference == nil) == (byte == UInt8(ascii: "9")), "&#\(byte);")
            } else {
                #expect(reference != nil, "&#\(byte);")
            }
            let name = parseFailure(document(positions[7], [byte]))
            if byte >= 0x80 || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) {
                #expect(name != nil, "name byte \(byte)")
            }
        }
    }

    @Test("every byte at the start of the document")
    func firstByte() {
        for byte in UInt8.min...UInt8.max {
            let error = parseFailure(document(positions[12], [byte]))
            switch byte {
            case 0x09, 0x0A, 0x0D, 0x20:
                #expect(error == nil, "leading byte \(byte)")
            default:
                #expect(error != nil, "leading byte \(byte)")
            }
        }
    }
}
