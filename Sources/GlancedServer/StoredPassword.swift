/// A password in Glances' stored form: `salt$sha256hex(salt + sha256hex(plain))`.
///
/// Clients send `sha256hex(plain)` as the HTTP Basic password; the server hashes it with the salt and
/// compares in constant time, so an existing `glances.pwd` works unchanged.
package struct StoredPassword: Sendable, Equatable {
    /// The salt (Glances uses 32 hex characters).
    package var salt: String
    /// `sha256hex(salt + sha256hex(plain))`, lower-case hex.
    package var hash: String

    /// Parses the stored form (`salt$hash`), as one line of a password file.
    package init?(stored line: String) {
        let line = line.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
        let parts = line.split(separator: "$", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count == 64,
            parts[1].allSatisfy({ $0.isHexDigit })
        else { return nil }
        salt = String(parts[0])
        hash = parts[1].lowercased()
    }

    /// The stored form of `plain` with `salt`.
    package init(plain: String, salt: String) {
        self.salt = salt
        self.hash = SHA256.hex(Array((salt + SHA256.hex(Array(plain.utf8))).utf8))
    }

    /// The line a password file holds.
    package var stored: String { salt + "$" + hash }

    /// Whether `user`/`received` (the Basic credentials; `received` is `sha256hex(plain)`) match.
    package func verify(user: String, expectedUser: String, received: String) -> Bool {
        let computed = SHA256.hex(Array((salt + received).utf8))
        // Both comparisons always run, each over whole strings, so timing says nothing of where they differ.
        let userMatches = Self.constantTimeEquals(Array(user.utf8), Array(expectedUser.utf8))
        let passwordMatches = Self.constantTimeEquals(Array(computed.utf8), Array(hash.utf8))
        return userMatches && passwordMatches
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
