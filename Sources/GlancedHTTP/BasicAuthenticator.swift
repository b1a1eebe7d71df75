/// HTTP Basic authentication (RFC 7617): the server parses the credentials, the application checks them.
package struct BasicAuthenticator: Sendable {
    /// The realm named in `WWW-Authenticate: Basic realm="..."` on a 401 reply.
    package var realm: String
    /// Whether the user name and password are right; the application hashes and compares in constant time.
    package var verify: @Sendable (_ user: String, _ password: String) -> Bool

    /// Creates an authenticator.
    ///
    /// - Parameters:
    ///   - realm: The protection space named on 401 replies (no `"` or `\` in it).
    ///   - verify: Checks a user name and password; called on the event loop, so it must be quick.
    package init(realm: String, verify: @escaping @Sendable (String, String) -> Bool) {
        self.realm = realm
        self.verify = verify
    }

    /// Checks the credentials of a request by its path too (a path may take another form of the password);
    /// when set, used instead of ``verify``.
    package var verifyRequest:
        (@Sendable (_ user: String, _ password: String, _ method: String, _ path: String) -> Bool)?

    /// Whether the `Authorization` field value of a request for `path` carries credentials that
    /// ``verifyRequest`` (or, without it, ``verify``) accepts.
    package func accepts(authorization: String?, method: String, path: String) -> Bool {
        guard let verifyRequest else { return accepts(authorization: authorization) }
        guard let authorization, let (user, password) = Self.credentials(fromAuthorization: authorization) else {
            return false
        }
        return verifyRequest(user, password, method, path)
    }

    /// Whether the `Authorization` field value carries credentials that ``verify`` accepts.
    ///
    /// - Parameter authorization: The field's value, or `nil` when the request has none.
    /// - Returns: `false` for a missing field, another scheme, malformed base64, no colon,
    ///   non-UTF-8 credentials or credentials ``verify`` rejects.
    package func accepts(authorization: String?) -> Bool {
        guard let authorization, let (user, password) = Self.credentials(fromAuthorization: authorization) else {
            return false
        }
        return self.verify(user, password)
    }

    /// The user name and password of a `Basic` `Authorization` field value.
    ///
    /// - Parameter value: The field value, e.g. `"Basic Z2xhbmNlczpwdw=="`.
    /// - Returns: The credentials split at the first colon, or `nil` when the scheme is not Basic
    ///   (compared without case), the token is not base64, or the decoded text has no colon or is not UTF-8.
    package static func credentials(fromAuthorization value: String) -> (user: String, password: String)? {
        var utf8 = Substring(value).utf8
        while let first = utf8.first, ASCII.isSpace(first) { utf8 = utf8.dropFirst() }
        while let last = utf8.last, ASCII.isSpace(last) { utf8 = utf8.dropLast() }
        guard let space = utf8.firstIndex(where: ASCII.isSpace),
            ASCII.equalsIgnoringCase(utf8[..<space], lowercased: "basic")
        else { return nil }
        var token = utf8[space...]
        while let first = token.first, ASCII.isSpace(first) { token = token.dropFirst() }
        guard let decoded = Base64.decode(token),
            let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
            let user = String(validating: decoded[..<colon], as: UTF8.self),
            let password = String(validating: decoded[(colon + 1)...], as: UTF8.self)
        else { return nil }
        return (user, password)
    }

    /// The `WWW-Authenticate` field value for 401 replies.
    var challenge: String {
        "Basic realm=\"\(self.realm)\""
    }
}

/// Strict base64 (RFC 4648 §4) decoding: the standard alphabet, padding optional, nothing else.
enum Base64 {
    /// Decodes `text`; `nil` if any character is outside the alphabet, padding is misplaced or
    /// the length is impossible.
    static func decode<Text: Sequence<UInt8>>(_ text: Text) -> [UInt8]? {
        let text = Array(text)
        var length = text.count
        // Trailing padding: at most two `=`, and only to complete a group of four.
        if length >= 4, length % 4 == 0, text[length - 1] == UInt8(ascii: "=") {
            length -= text[length - 2] == UInt8(ascii: "=") ? 2 : 1
        }
        guard length % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(length * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text[..<length] {
            guard let sextet = value(of: byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    /// The 6-bit value of one base64 character.
    @inline(__always)
    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
