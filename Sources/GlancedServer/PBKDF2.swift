/// HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), for the Glances 3.4+/4.x password scheme.
///
/// PBKDF2 runs 100,000 HMAC rounds per 32 bytes of key, so the compression here works on fixed buffers: each
/// round is two SHA-256 blocks, with the key's inner and outer states computed once.
package enum PBKDF2 {
    /// `pbkdf2_hmac('sha256', password, salt, rounds, dklen)`.
    package static func sha256(password: [UInt8], salt: [UInt8], rounds: Int, keyLength: Int) -> [UInt8] {
        let hmac = HMACSHA256(key: password)
        var derived: [UInt8] = []
        derived.reserveCapacity(keyLength + 32)
        var block: UInt32 = 1
        while derived.count < keyLength {
            var u = hmac.mac(
                salt + [
                    UInt8(block >> 24), UInt8(truncatingIfNeeded: block >> 16),
                    UInt8(truncatingIfNeeded: block >> 8), UInt8(truncatingIfNeeded: block),
                ])
            var t = u
            if rounds > 1 { hmac.iterate(&u, into: &t, rounds: rounds) }
            derived += t
            block += 1
        }
        return Array(derived.prefix(keyLength))
    }

    /// Lower-case hex of `bytes`, as Python's `bytes.hex()`.
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

/// HMAC-SHA256 with a fixed key: the inner and outer states after the key block are computed once.
package struct HMACSHA256: Sendable {
    private let inner: SHA256Block.State
    private let outer: SHA256Block.State

    /// Prepares the key (hashed first when longer than a block).
    package init(key: [UInt8]) {
        var key = key.count > 64 ? SHA256.digest(key) : key
        key += [UInt8](repeating: 0, count: 64 - key.count)
        var inner = SHA256Block.initial
        var outer = SHA256Block.initial
        SHA256Block.compress(&inner, key.map { $0 ^ 0x36 })
        SHA256Block.compress(&outer, key.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// The MAC of `message`.
    package func mac(_ message: [UInt8]) -> [UInt8] {
        let innerDigest = SHA256Block.finish(inner, message, priorBytes: 64)
        return SHA256Block.finish(outer, innerDigest, priorBytes: 64)
    }

    /// The MAC of a 32-byte message (a previous MAC).
    package func macOfDigest(_ digest: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        withScratch { scratch in
            digest.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    macOfDigest(
                        input.baseAddress.unsafelyUnwrapped, into: output.baseAddress.unsafelyUnwrapped,
                        scratch: scratch)
                }
            }
        }
        return out
    }

    /// PBKDF2's inner loop: `rounds - 1` further MACs of `u`, each XORed into `t` (both 32 bytes).
    func iterate(_ u: inout [UInt8], into t: inout [UInt8], rounds: Int) {
        withScratch { scratch in
            u.withUnsafeMutableBufferPointer { u in
                t.withUnsafeMutableBufferPointer { t in
                    Self.iterate(
                        u.baseAddress.unsafelyUnwrapped, t.baseAddress.unsafelyUnwrapped, rounds: rounds,
                        inner: inner, outer: outer, scratch: scratch)
                }
            }
        }
    }

    @_optimize(speed)
    private static func iterate(
        _ u: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<UInt8>, rounds: Int, inner: SHA256Block.State,
        outer: SHA256Block.State, scratch: UnsafeMutablePointer<UInt32>
    ) {
        let hmac = HMACSHA256(inner: inner, outer: outer)
        var round = 1
        while round < rounds {
            hmac.macOfDigest(u, into: u, scratch: scratch)
            var index = 0
            while index < 32 {
                t[index] ^= u[index]
                index &+= 1
            }
            round &+= 1
        }
    }

    private init(inner: SHA256Block.State, outer: SHA256Block.State) {
        self.inner = inner
        self.outer = outer
    }

    private func withScratch(_ body: (UnsafeMutablePointer<UInt32>) -> Void) {
        // 64 message words, 8 state words, then a 64-byte block as 16 words.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64 + 8 + 16) { buffer in
            body(buffer.baseAddress.unsafelyUnwrapped)
        }
    }

    /// HMAC of the 32 bytes at `input` into `output` (may be the same), `scratch` 88 words.
    @_optimize(speed)
    private func macOfDigest(
        _ input: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>, scratch: UnsafeMutablePointer<UInt32>
    ) {
        let state = scratch + 64
        let block = UnsafeMutableRawPointer(scratch + 72).assumingMemoryBound(to: UInt8.self)
        var index = 0
        while index < 32 {
            block[index] = input[index]
            index &+= 1
        }
        block[32] = 0x80
        index = 33
        while index < 62 {
            block[index] = 0
            index &+= 1
        }
        // Length: (64 + 32) bytes = 768 bits.
        block[62] = 0x03
        block[63] = 0x00
        for word in 0..<8 { state[word] = inner[word] }
        SHA256Block.compress(state, block, scratch)
        Self.store(state, into: block)
        for word in 0..<8 { state[word] = outer[word] }
        SHA256Block.compress(state, block, scratch)
        Self.store(state, into: output)
    }

    @_optimize(speed)
    private static func store(_ state: UnsafeMutablePointer<UInt32>, into bytes: UnsafeMutablePointer<UInt8>) {
        var word = 0
        while word < 8 {
            let value = state[word]
            bytes[word &* 4] = UInt8(truncatingIfNeeded: value >> 24)
            bytes[word &* 4 &+ 1] = UInt8(truncatingIfNeeded: value >> 16)
            bytes[word &* 4 &+ 2] = UInt8(truncatingIfNeeded: value >> 8)
            bytes[word &* 4 &+ 3] = UInt8(truncatingIfNeeded: value)
            word &+= 1
        }
    }
}

/// The SHA-256 compression function on one 64-byte block, for HMAC's precomputed states.
enum SHA256Block {
    typealias State = [UInt32]

    static let initial: State = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Compresses one 64-byte `block` into `state`.
    static func compress(_ state: inout State, _ block: [UInt8]) {
        var words = [UInt32](repeating: 0, count: 64 + 8)
        words.withUnsafeMutableBufferPointer { buffer in
            let scratch = buffer.baseAddress.unsafelyUnwrapped
            for index in 0..<8 { scratch[64 + index] = state[index] }
            block.withUnsafeBufferPointer { bytes in
                compress(scratch + 64, bytes.baseAddress.unsafelyUnwrapped, scratch)
            }
            for index in 0..<8 { state[index] = scratch[64 + index] }
        }
    }

    /// Compresses the 64 bytes at `block` into the 8 words at `state`, with `w` 64 words of scratch. Optimised even
    /// in debug builds: a PBKDF2 check calls it 800,000 times.
    @_optimize(speed)
    static func compress(
        _ state: UnsafeMutablePointer<UInt32>, _ block: UnsafePointer<UInt8>, _ w: UnsafeMutablePointer<UInt32>
    ) {
        let k = roundConstants
        var i = 0
        while i < 16 {
            let j = i &* 4
            w[i] =
                UInt32(block[j]) << 24 | UInt32(block[j &+ 1]) << 16 | UInt32(block[j &+ 2]) << 8
                | UInt32(block[j &+ 3])
            i &+= 1
        }
        while i < 64 {
            let x = w[i &- 15]
            let y = w[i &- 2]
            let s0 = (x >> 7 | x << 25) ^ (x >> 18 | x << 14) ^ (x >> 3)
            let s1 = (y >> 17 | y << 15) ^ (y >> 19 | y << 13) ^ (y >> 10)
            w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
            i &+= 1
        }
        var a = state[0]
        var b = state[1]
        var c = state[2]
        var d = state[3]
        var e = state[4]
        var f = state[5]
        var g = state[6]
        var h = state[7]
        i = 0
        while i < 64 {
            let s1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
            let s0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ s0 &+ majority
            i &+= 1
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
        state[5] &+= f
        state[6] &+= g
        state[7] &+= h
    }

    /// The round constants, in memory that lives as long as the process (read 64 times per compression).
    nonisolated(unsafe) private static let roundConstants: UnsafeMutablePointer<UInt32> = {
        // Never written after this initialiser; nonisolated(unsafe) because a pointer is not Sendable.
        let pointer = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
        for (index, value) in k.enumerated() { pointer[index] = value }
        return pointer
    }()

    /// The digest of `message` hashed after `priorBytes` bytes already compressed into `state`.
    static func finish(_ state: State, _ message: [UInt8], priorBytes: Int) -> [UInt8] {
        var state = state
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bits = UInt64(message.count + priorBytes) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
        for start in stride(from: 0, to: padded.count, by: 64) {
            compress(&state, Array(padded[start..<(start + 64)]))
        }
        return bytes(state)
    }

    /// The state as 32 big-endian bytes.
    static func bytes(_ state: State) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for (index, word) in state.enumerated() {
            out[index * 4] = UInt8(truncatingIfNeeded: word >> 24)
            out[index * 4 + 1] = UInt8(truncatingIfNeeded: word >> 16)
            out[index * 4 + 2] = UInt8(truncatingIfNeeded: word >> 8)
            out[index * 4 + 3] = UInt8(truncatingIfNeeded: word)
        }
        return out
    }

    @inline(__always)
    private static func rotr(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 &- count))
    }
}
