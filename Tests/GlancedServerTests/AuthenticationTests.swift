import GlancedServer
import GlancedTestSupport
import Testing

@Suite struct AuthenticationTests {
    static let plain = "s3cret"
    static let stored = StoredPassword(plain: plain, salt: "0123456789abcdef0123456789abcdef")

    static func basic(_ user: String, _ password: String) -> (String, String) {
        ("Authorization", "Basic " + Base64Text.encode(Array("\(user):\(password)".utf8)))
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array(String(repeating: "a", count: 1000).utf8))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func storedFormIsGlancesForm() throws {
        // Python: salt + '$' + sha256(salt + sha256(plain).hexdigest()).hexdigest()
        #expect(
            Self.stored.stored == "0123456789abcdef0123456789abcdef$"
                + SHA256.hex(Array(("0123456789abcdef0123456789abcdef" + SHA256.hex(Array("s3cret".utf8))).utf8)))
        #expect(StoredPassword(stored: Self.stored.stored + "\n") == Self.stored)
        #expect(StoredPassword(stored: "nodollar") == nil)
        #expect(StoredPassword(stored: "salt$tooshort") == nil)
    }

    @Test func everyWrongCredentialGets401AndTheRightOneWorks() async throws {
        let good = SHA256.hex(Array(Self.plain.utf8))
        try await withServer(configuredBy: { $0.password = Self.stored }) { port in
            let cases: [[(String, String)]] = [
                [],
                [Self.basic("glances", SHA256.hex(Array("wrong".utf8)))],
                [Self.basic("someone", good)],
                [Self.basic("glances", Self.plain)],
                [("Authorization", "Basic !!!not-base64")],
                [("Authorization", "Basic " + Base64Text.encode(Array("no-colon".utf8)))],
                [("Authorization", "Bearer " + good)],
            ]
            for headers in cases {
                let reply = try post(port, xmlCall("getCpu"), headers: headers)
                #expect(reply.status == 401, "\(headers)")
                #expect(reply.header("WWW-Authenticate") == #"Basic realm="glanced""#)
                #expect(reply.header("Access-Control-Allow-Origin") == "*")
            }
            let ok = try post(port, xmlCall("getCpu"), headers: [Self.basic("glances", good)])
            #expect(ok.status == 200)
            #expect(try RPCResult(ok.body).json()["idle"] != nil)
        }
    }
}

/// Base64 for test headers.
enum Base64Text {
    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? table[(value >> (18 - 6 * position)) & 63] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
