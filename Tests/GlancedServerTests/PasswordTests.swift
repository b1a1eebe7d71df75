import Foundation
import GlancedServer
import Testing

@Suite struct PasswordTests {
    @Test func hmacMatchesKnownVector() {
        let mac = HMACSHA256(key: Array("key".utf8)).mac(Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(PBKDF2.hex(mac) == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test func pbkdf2MatchesRFC7914AndKnownVectors() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64).
        #expect(
            PBKDF2.hex(
                PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), rounds: 1, keyLength: 64))
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        #expect(
            PBKDF2.hex(
                PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), rounds: 4096, keyLength: 32))
                == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        #expect(
            PBKDF2.hex(PBKDF2.sha256(password: Array("secret".utf8), salt: [], rounds: 2, keyLength: 20))
                == "0eb6aaf1afefbcca117e4b7adda825bbec99fba3")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func pbkdf2AgreesWithPythonHashlib() throws {
        let cases: [(password: String, salt: String, rounds: Int, length: Int)] = [
            ("s3cret", "", 1000, 128), ("pässwörd", "0123456789abcdef0123456789abcdef", 3, 100), ("", "x", 1, 33),
        ]
        for item in cases {
            let script = """
                import hashlib, sys
                a = sys.argv[1:]
                print(hashlib.pbkdf2_hmac('sha256', a[0].encode(), a[1].encode(), int(a[2]), int(a[3])).hex())
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, item.password, item.salt, "\(item.rounds)", "\(item.length)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let python = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let ours = PBKDF2.hex(
                PBKDF2.sha256(
                    password: Array(item.password.utf8), salt: Array(item.salt.utf8), rounds: item.rounds,
                    keyLength: item.length))
            #expect(ours == python, "\(item)")
        }
    }

    @Test func storedFormsParseAndPrint() throws {
        let sha = String(repeating: "a", count: 64)
        let long = String(repeating: "B", count: 256)
        let both = try #require(StoredPassword(stored: "s1$\(sha)\ns2$\(long)\n"))
        #expect(both.schemes == [.sha256, .pbkdf2])
        #expect(both.forms.map(\.salt) == ["s1", "s2"])
        #expect(both.forms[1].hash == long.lowercased())
        #expect(both.stored == "s1$\(sha)\ns2$\(long.lowercased())")
        #expect(try #require(StoredPassword(stored: "s$\(long)")).schemes == [.pbkdf2])
        #expect(StoredPassword(stored: "s$\(sha)\nbad") == nil)
        #expect(StoredPassword(stored: "s$" + String(repeating: "a", count: 128)) == nil)
        #expect(StoredPassword(stored: "\n\n") == nil)
    }

    @Test func sha256FormAcceptsOnlyTheClientHash() {
        let stored = StoredPassword(plain: "s3cret", salt: "0123456789abcdef0123456789abcdef")
        let verifier = PasswordVerifier(password: stored, username: "glances")
        #expect(verifier.verify(user: "glances", received: SHA256.hex(Array("s3cret".utf8))))
        #expect(!verifier.verify(user: "glances", received: "s3cret"))
        #expect(verifier.verify(user: "glances", received: "s3cret", acceptsPlain: true))
        #expect(!verifier.verify(user: "other", received: SHA256.hex(Array("s3cret".utf8))))
        #expect(!verifier.verify(user: "glances", received: String(repeating: "0", count: 256)))
        #expect(verifier.pbkdf2Checks == 0)
    }

    /// What Glances 4.5.8 computes for "s3cret" (Python: `pbkdf2_hmac('sha256', …, 100000, 128).hex()`): the
    /// client's hash, and the stored hash with the salt below.
    static let clientHash =
        "1962caeab3c7a1a5dc041293792aee50525928763e6e50e3bb70e6ca9e36bc11"
        + "98944fb43202a8a354994c66410e850a5f548e2a79872a2267cb28c69c188afe"
        + "517f83bfb45af264b5096515fa0ce8e0c88b5a02e58fd178452f07347b5ef03d"
        + "7ff27ba980c70d837abbe8f48cc7fa3c8674aeaf2f38c5ad42d681cb7474cc91"
    static let storedHash =
        "2d3aacc03811d7c538a904c1558aea69df4538bf7d33b02df486ffd6292b936a"
        + "d07242d301fac12ab2956f05b6ed206976f40d509f1244ce44682c6b40871950"
        + "00e15a220adfc35cee586f02a1283f72ac693807c432b0311f65cb04668c1f92"
        + "808ce3713221bb397a0e3375c7ccfb3a9e88bbc0cf0ed9e907be396ec4733619"

    /// One real check (100,000 rounds, slow in a debug build), then answered from memory.
    @Test func pbkdf2FormIsCheckedOncePerCredential() {
        let salt = "00112233445566778899aabbccddeeff"
        let client = Self.clientHash
        let stored = StoredPassword(stored: salt + "$" + Self.storedHash)
        guard let stored else {
            Issue.record("stored form does not parse")
            return
        }
        let verifier = PasswordVerifier(password: stored, username: "glances", capacity: 2)
        #expect(verifier.verify(user: "glances", received: client))
        #expect(verifier.verify(user: "glances", received: client))
        #expect(verifier.pbkdf2Checks == 1)
        // A 64-hex (sha256-scheme) client cannot log in with a PBKDF2-only file, and costs no rounds.
        #expect(!verifier.verify(user: "glances", received: SHA256.hex(Array("s3cret".utf8))))
        #expect(verifier.pbkdf2Checks == 1)
    }
}
