import GlancedSync

/// Checks Basic credentials against a ``StoredPassword``, remembering what the costly PBKDF2 check said.
///
/// A PBKDF2 check is 100,000 HMAC rounds per stored form; a 4.x client polling every 2 s would pay it on every
/// request. The outcome for each distinct received value is kept (keyed by its SHA-256, at most ``capacity``
/// entries, the oldest dropped first), so each credential costs the rounds once. sha256 checks are cheap and
/// never cached.
package final class PasswordVerifier: Sendable {
    /// The password.
    package let password: StoredPassword
    /// The user name clients must send.
    package let username: String
    /// How many PBKDF2 outcomes are remembered.
    package let capacity: Int

    private struct Memory {
        var outcomes: [[UInt8]: Bool] = [:]
        var order: [[UInt8]] = []
        var rounds = 0
    }

    private let memory = Locked(Memory())

    /// Creates a verifier.
    package init(password: StoredPassword, username: String, capacity: Int = 64) {
        self.password = password
        self.username = username
        self.capacity = max(1, capacity)
    }

    /// How many PBKDF2 checks ran (not answered from memory).
    package var pbkdf2Checks: Int { memory.withLock { $0.rounds } }

    /// Whether `user`/`received` may log in. `acceptsPlain`: the client sends the plain password (REST).
    package func verify(user: String, received: String, acceptsPlain: Bool = false) -> Bool {
        let userMatches = StoredPassword.constantTimeEquals(Array(user.utf8), Array(username.utf8))
        var matched = password.matches(sha256Received: received)
        if acceptsPlain, !matched { matched = password.matches(sha256Received: SHA256.hex(Array(received.utf8))) }
        if !matched, password.schemes.contains(.pbkdf2) {
            if received.utf8.count == 256 { matched = pbkdf2(received, plain: false) }
            if !matched, acceptsPlain { matched = pbkdf2(received, plain: true) }
        }
        return userMatches && matched
    }

    private func pbkdf2(_ received: String, plain: Bool) -> Bool {
        let key = SHA256.digest(Array(((plain ? "p:" : "h:") + received).utf8))
        if let known = memory.withLock({ $0.outcomes[key] }) { return known }
        let outcome = password.matches(pbkdf2Received: plain ? PBKDF2.glancesClientHash(received) : received)
        memory.withLock { memory in
            memory.rounds += 1
            if memory.outcomes.updateValue(outcome, forKey: key) == nil { memory.order.append(key) }
            while memory.order.count > capacity { memory.outcomes[memory.order.removeFirst()] = nil }
        }
        return outcome
    }
}
