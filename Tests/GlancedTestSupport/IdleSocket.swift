import Glibc

/// A plain TCP connection to the server: an idle client, a slow one or one to abandon; closed on deinit.
package final class IdleSocket: Sendable {
    package let fd: Int32

    /// Connects to `127.0.0.1:port`; `nil` when `connect` fails.
    package init?(port: Int) {
        guard let fd = try? loopbackSocket(port: port) else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends `bytes`; false when the peer is gone.
    @discardableResult
    package func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Whether the server closes (or resets) the connection within `timeout` seconds; replies are read and dropped.
    package func isClosed(within timeout: Double) -> Bool {
        let deadline = monotonicNow() + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            // Looked at once at least, even with no time left (`within: 0` asks about now).
            let left = max(0, deadline - monotonicNow())
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32((left * 1000).rounded(.up))) > 0 else { return false }
            let got = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if got == 0 { return true }
            if got < 0, errno != EAGAIN, errno != EINTR { return true }
        }
    }

    /// Reads until `marker` has arrived (or the peer closes, or `timeout` seconds pass); returns all bytes read.
    package func read(until marker: String, within timeout: Double) -> [UInt8] {
        let marker = Array(marker.utf8)
        let deadline = monotonicNow() + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.firstRange(of: marker) == nil {
            let left = deadline - monotonicNow()
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&poller, 1, Int32(left * 1000) + 1) > 0 else { break }
            let got = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR) { break }
            if got > 0 { received += buffer[0..<got] }
        }
        return received
    }

    /// Closes with a reset (SO_LINGER 0) instead of a FIN, when the object goes: the server's next read or
    /// write fails.
    package func resetOnClose() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }
}

/// Seconds on the monotonic clock.
package func monotonicNow() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
