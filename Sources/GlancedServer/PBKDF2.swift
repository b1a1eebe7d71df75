private import CCrypto

/// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), for the Glances 3.4+/4.x password scheme, through OpenSSL's libcrypto:
/// 100,000 HMAC rounds per 32 bytes of key take a few milliseconds there.
package enum PBKDF2 {
    /// `pbkdf2_hmac('sha256', password, salt, rounds, dklen)`.
    package static func sha256(password: [UInt8], salt: [UInt8], rounds: Int, keyLength: Int) -> [UInt8] {
        precondition(rounds >= 1 && keyLength >= 1, "PBKDF2 needs at least one round and one byte")
        var derived = [UInt8](repeating: 0, count: keyLength)
        let status = password.withUnsafeBufferPointer { password in
            salt.withUnsafeBufferPointer { salt in
                password.withMemoryRebound(to: CChar.self) { password in
                    PKCS5_PBKDF2_HMAC(
                        password.baseAddress, Int32(password.count), salt.baseAddress, Int32(salt.count),
                        Int32(clamping: rounds), EVP_sha256(), Int32(keyLength), &derived)
                }
            }
        }
        // libcrypto fails only when it cannot allocate: nothing a caller could do about it.
        precondition(status == 1, "PKCS5_PBKDF2_HMAC failed")
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
