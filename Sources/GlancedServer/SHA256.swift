private import CGlanced

/// SHA-256 (FIPS 180-4), for Glances' password schemes: `glanced_sha256` in C, which PBKDF2 shares.
package enum SHA256 {
    /// The 32-byte digest of `message`.
    package static func digest(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        message.withUnsafeBufferPointer { message in
            digest.withUnsafeMutableBufferPointer { glanced_sha256(message.baseAddress, message.count, $0.baseAddress) }
        }
        return digest
    }

    /// The digest of `message` as 64 lowercase hex digits (Python's `hashlib.sha256(...).hexdigest()`).
    package static func hex(_ message: [UInt8]) -> String {
        PBKDF2.hex(digest(message))
    }
}
