import GlancedHTTP
import GlancedTestSupport
import Testing

/// `base64("user:password")`, enough for tests.
func base64(_ text: String) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    let bytes = Array(text.utf8)
    var output = ""
    var index = 0
    while index < bytes.count {
        let chunk = bytes[index..<min(index + 3, bytes.count)]
        let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
        for position in 0..<4 {
            output.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : "=")
        }
        index += 3
    }
    return output
}

@Suite("HTTP Basic authentication")
struct BasicAuthenticatorTests {
    static let authenticator = BasicAuthenticator(realm: "glanced") { user, password in
        user == "glances" && password == "s3cret:with:colons"
    }

    @Test("credentials are parsed and split at the first colon")
    func parse() {
        let parsed = BasicAuthenticator.credentials(fromAuthorization: "Basic " + base64("glances:s3cret:with:colons"))
        #expect(parsed?.user == "glances")
        #expect(parsed?.password == "s3cret:with:colons")
        #expect(
            BasicAuthenticator.credentials(fromAuthorization: "basic  " + base64("a:")).map { [$0.user, $0.password] }
                == ["a", ""])
        #expect(BasicAuthenticator.credentials(fromAuthorization: "BASIC " + base64(":b"))?.password == "b")
        // Unpadded base64 is accepted.
        #expect(BasicAuthenticator.credentials(fromAuthorization: "Basic YTpi")?.user == "a")
        #expect(BasicAuthenticator.credentials(fromAuthorization: "Basic YTpiYw")?.password == "bc")
    }

    @Test(
        "malformed values are rejected",
        arguments: [
            "", "Basic", "Basic ", "Bearer abc", "Digest " + base64("a:b"), "Basic !!!!", "Basic YTpi=",
            "Basic YTpiY", "Basic " + base64("nocolon"), "Basic YT=i", "Basic\t",
        ]
    )
    func malformed(value: String) {
        #expect(BasicAuthenticator.credentials(fromAuthorization: value) == nil)
    }

    @Test("accepts() runs verify only on well-formed credentials")
    func accepts() {
        let authenticator = Self.authenticator
        #expect(authenticator.accepts(authorization: "Basic " + base64("glances:s3cret:with:colons")))
        #expect(!authenticator.accepts(authorization: "Basic " + base64("glances:wrong")))
        #expect(!authenticator.accepts(authorization: nil))
    }

    @Test(
        "over HTTP: bad or missing credentials get 401 with a challenge, and the server carries on",
        arguments: [
            nil, "Basic " + base64("someone:s3cret:with:colons"), "Basic " + base64("glances:wrong"),
            "Basic %%%notbase64", "Basic " + base64("glancesnocolon"), "Bearer " + base64("glances:s3cret:with:colons"),
        ] as [String?]
    )
    func unauthorized(authorization: String?) async throws {
        try await withServer({ $0.authenticator = Self.authenticator }) { port in
            let connection = try RawHTTPClient(port: port)
            let headers = authorization.map { [("Authorization", $0)] } ?? []
            connection.send(request(headers: headers, body: "secret body"))
            let response = try connection.readResponse()
            #expect(response.status == 401)
            #expect(response.header("WWW-Authenticate") == "Basic realm=\"glanced\"")
            #expect(response.text == "Unauthorized\n")
            expectCommonHeaders(response)
            // Checked before the path: an unknown path gets 401 too.
            connection.send(request("GET", "/elsewhere", headers: headers))
            #expect(try connection.readResponse().status == 401)
            // The same connection, then with the right credentials.
            connection.send(
                request(headers: [("Authorization", "Basic " + base64("glances:s3cret:with:colons"))], body: "ok")
            )
            let good = try connection.readResponse()
            #expect(good.status == 200)
            #expect(good.text == "ko")
            // And a new client.
            let other = try RawHTTPClient(port: port)
            other.send(
                request(headers: [("authorization", "basic " + base64("glances:s3cret:with:colons"))], body: "x"))
            #expect(try other.readResponse().status == 200)
        }
    }

    @Test("without an authenticator an Authorization header is ignored")
    func ignoredWithoutAuthenticator() async throws {
        try await withServer { port in
            let connection = try RawHTTPClient(port: port)
            connection.send(request(headers: [("Authorization", "Basic !!!")], body: "ab"))
            #expect(try connection.readResponse().status == 200)
        }
    }
}
