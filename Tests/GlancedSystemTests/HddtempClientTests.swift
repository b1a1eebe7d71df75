import Foundation
import GlancedSystem
import GlancedTestSupport
import Glibc
import Testing

/// The blocking client against bare sockets on loopback.
@Suite struct HddtempClientTests {
    /// A socket listening on 127.0.0.1 (any port); the kernel completes connections even if nobody
    /// accepts them, which makes a peer that never answers.
    private struct Listener: ~Copyable {
        let fd: Int32
        let port: UInt16

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard fd >= 0, ok else {
                close(fd)
                throw ListenError()
            }
            self.fd = fd
            self.port = UInt16(bigEndian: address.sin_port)
        }

        deinit { close(fd) }

        /// Accepts one connection in the background, sends `bytes` and closes it.
        func serveOnce(_ bytes: [UInt8]) {
            let fd = self.fd
            Thread {  // not Dispatch's global queue, which parallel blocking tests can fill up
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }
                _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(connection)
            }.start()
        }
    }

    private struct ListenError: Error {}

    @Test func readsUntilThePeerCloses() throws {
        let listener = try Listener()
        let reply = Array("|/dev/sda|FakeDisk|35|C||/dev/sdb|FakeSSD|SLP|*|".utf8)
        listener.serveOnce(reply)
        #expect(try HddtempClient(host: "127.0.0.1", port: listener.port).fetch().get() == reply)
    }

    @Test func readIsBounded() throws {
        let listener = try Listener()
        listener.serveOnce([UInt8](repeating: UInt8(ascii: "|"), count: 100_000))
        let client = HddtempClient(host: "127.0.0.1", port: listener.port, maxBytes: 1000)
        #expect(try client.fetch().get() == [UInt8](repeating: UInt8(ascii: "|"), count: 1000))
    }

    @Test func silentPeerEndsAtTheTotalTimeout() throws {
        let listener = try Listener()
        let client = HddtempClient(host: "127.0.0.1", port: listener.port, totalTimeout: 0.3)
        let start = Clock.monotonicSeconds()
        let result = client.fetch()
        let elapsed = Clock.monotonicSeconds() - start
        #expect(try result.get() == [], "nothing arrived before the deadline")
        #expect(elapsed >= 0.25 && elapsed < timeLimit(1.5))
    }

    @Test func refusedConnection() throws {
        let port = try Listener().port  // closed again at once
        let result = HddtempClient(host: "127.0.0.1", port: port).fetch()
        #expect(throws: HddtempError(step: .connect, code: ECONNREFUSED)) { try result.get() }
    }

    @Test func localhostResolves() throws {
        let listener = try Listener()
        listener.serveOnce(Array("|/dev/sda|A|35|C|".utf8))
        #expect(
            try HddtempClient(host: "localhost", port: listener.port).fetch().get() == Array("|/dev/sda|A|35|C|".utf8))
    }
}
