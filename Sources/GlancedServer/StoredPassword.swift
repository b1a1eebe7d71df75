/// A password in Glances' stored forms: one line per scheme, `salt$hash`.
///
/// - sha256 (Glances 2.x–3.3): `salt$sha256hex(salt + received)`, where a client sends `received = sha256hex(plain)`
///   (64 hex characters);
/// - PBKDF2 (Glances 3.4+/4.x): `salt$hex(pbkdf2_hmac('sha256', received, salt, 100000, 128))`, where a client sends
///   `received = hex(pbkdf2_hmac('sha256', plain, '', 100000, 128))` (256 hex characters).
///
/// A Glances `.pwd` file holds one of them; `glanced hash-password` writes both, so every client generation logs
/// in. The compare is in constant time.
package struct StoredPassword: Sendable, Equatable {
    /// A password scheme.
    package enum Scheme: String, Sendable, Equatable, CaseIterable {
        /// `salt$sha256hex(salt + sha256hex(plain))`: Glances 2.x to 3.3.
        case sha256
        /// `salt$pbkdf2(pbkdf2(plain, ''), salt)`: Glances 3.4 and 4.x.
        case pbkdf2
    }

    /// One stored line.
    package struct Form: Sendable, Equatable {
        /// Its scheme (from the hash's length: 64 or 256 hex characters).
        package var scheme: Scheme
        /// The salt (Glances uses 32 hex characters).
        package var salt: String
        /// The hash, lower-case hex.
        package var hash: String
    }

    /// The forms, in file order; never empty.
    package private(set) var forms: [Form]

    /// The salt of the first form.
    package var salt: String { forms[0].salt }
    /// The hash of the first form.
    package var hash: String { forms[0].hash }
    /// The schemes it holds, hence the clients it can serve.
    package var schemes: [Scheme] { Scheme.allCases.filter { scheme in forms.contains { $0.scheme == scheme } } }

    /// Parses the stored form: every non-empty line must be `salt$hash` with 64 (sha256) or 256 (PBKDF2) hex
    /// characters of hash.
    package init?(stored text: String) {
        var forms: [Form] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let trimmed = line.filter { $0 != " " && $0 != "\t" }
            guard !trimmed.isEmpty else { continue }
            let parts = trimmed.split(separator: "$", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].allSatisfy({ $0.isHexDigit }) else { return nil }
            switch parts[1].count {
            case 64: forms.append(Form(scheme: .sha256, salt: String(parts[0]), hash: parts[1].lowercased()))
            case 256: forms.append(Form(scheme: .pbkdf2, salt: String(parts[0]), hash: parts[1].lowercased()))
            default: return nil
            }
        }
        guard !forms.isEmpty else { return nil }
        self.forms = forms
    }

    /// The sha256 stored form of `plain` with `salt`.
    package init(plain: String, salt: String) {
        forms = [
            Form(scheme: .sha256, salt: salt, hash: Self.sha256Hash(received: SHA256.hex(Array(plain.utf8)), salt))
        ]
    }

    /// Both stored forms of `plain`: sha256 with `salt`, PBKDF2 with `pbkdf2Salt`.
    package init(plain: String, salt: String, pbkdf2Salt: String) {
        self.init(plain: plain, salt: salt)
        forms.append(
            Form(
                scheme: .pbkdf2, salt: pbkdf2Salt,
                hash: PBKDF2.glancesStoredHash(received: PBKDF2.glancesClientHash(plain), salt: pbkdf2Salt)))
    }

    /// The lines a password file holds.
    package var stored: String { forms.map { $0.salt + "$" + $0.hash }.joined(separator: "\n") }

    /// Whether `user`/`received` (the Basic credentials) match, uncached: `received` is what a client of either
    /// scheme sends (64 or 256 hex characters), or, with `acceptsPlain` (REST clients), the plain password.
    package func verify(user: String, expectedUser: String, received: String, acceptsPlain: Bool = false) -> Bool {
        let userMatches = Self.constantTimeEquals(Array(user.utf8), Array(expectedUser.utf8))
        var candidates = [received]
        if acceptsPlain { candidates += [SHA256.hex(Array(received.utf8))] }
        var passwordMatches = false
        for candidate in candidates where matches(sha256Received: candidate) { passwordMatches = true }
        if !passwordMatches {
            var pbkdf2Candidates = received.utf8.count == 256 ? [received] : []
            if acceptsPlain, schemes.contains(.pbkdf2) { pbkdf2Candidates.append(PBKDF2.glancesClientHash(received)) }
            for candidate in pbkdf2Candidates where matches(pbkdf2Received: candidate) { passwordMatches = true }
        }
        return userMatches && passwordMatches
    }

    /// Whether a sha256 form accepts `received` (a client's `sha256hex(plain)`).
    package func matches(sha256Received received: String) -> Bool {
        var matched = false
        for form in forms where form.scheme == .sha256 {
            let computed = Self.sha256Hash(received: received, form.salt)
            if Self.constantTimeEquals(Array(computed.utf8), Array(form.hash.utf8)) { matched = true }
        }
        return matched
    }

    /// Whether a PBKDF2 form accepts `received` (a client's `pbkdf2(plain, '')` hex): 100,000 rounds per form.
    package func matches(pbkdf2Received received: String) -> Bool {
        var matched = false
        for form in forms where form.scheme == .pbkdf2 {
            let computed = PBKDF2.glancesStoredHash(received: received, salt: form.salt)
            if Self.constantTimeEquals(Array(computed.utf8), Array(form.hash.utf8)) { matched = true }
        }
        return matched
    }

    private static func sha256Hash(received: String, _ salt: String) -> String {
        SHA256.hex(Array((salt + received).utf8))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        let count = max(a.count, b.count)
        for index in 0..<count {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
