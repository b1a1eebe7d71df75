private import CGlanced

/// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), for the Glances 3.4+/4.x password scheme: the rounds run in C
/// (`glanced_pbkdf2_hmac_sha256`, compiled optimised in every build mode), 100,000 HMAC rounds per 32 bytes of
/// key in a few milliseconds.
package enum PBKDF2 {
    /// `pbkdf2_hmac('sha256', password, salt, rounds, dklen)`.
    package static func sha256(password: [UInt8], salt: [UInt8], rounds: Int, keyLength: Int) -> [UInt8] {
        precondition(rounds >= 1 && keyLength >= 1, "PBKDF2 needs at least one round and one byte")
        var derived = [UInt8](repeating: 0, count: keyLength)
        password.withUnsafeBufferPointer { password in
            salt.withUnsafeBufferPointer { salt in
                derived.withUnsafeMutableBufferPointer { derived in
                    glanced_pbkdf2_hmac_sha256(
                        password.baseAddress, password.count, salt.baseAddress, salt.count,
                        UInt32(clamping: rounds), derived.baseAddress, derived.count)
                }
            }
        }
        return derived
    }

    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// What a Glances 4.x (and 3.4+) client sends for `plain`: `pbkdf2_hmac('sha256', plain, b'', 100000, 128).hex()`.
    package static func glancesClientHash(_ plain: String) -> String {
        hex(sha256(password: Array(plain.utf8), salt: [], rounds: 100_000, keyLength: 128))
    }

    /// What a Glances 4.x `.pwd` file holds after the salt: `pbkdf2_hmac('sha256', received, salt, 100000, 128).hex()`.
    package static func glancesStoredHash(received: String, salt: String) -> String {
        hex(sha256(password: Array(received.utf8), salt: Array(salt.utf8), rounds: 100_000, keyLength: 128))
    }
}
