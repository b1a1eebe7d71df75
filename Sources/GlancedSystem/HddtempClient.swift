internal import Glibc

/// Why a fetch from the hddtemp daemon failed.
package struct HddtempError: Error, Sendable, Equatable {
    /// The step that failed.
    package enum Step: Sendable, Equatable {
        /// The host name did not resolve (`getaddrinfo`).
        case resolve
        /// No address accepted a connection in time (refused, unreachable, timed out).
        case connect
        /// Reading the reply failed (`poll`/`read` error, connection reset).
        case read
    }

    /// The step that failed.
    package var step: Step
    /// `errno`, or the `getaddrinfo` code for ``Step/resolve``; `ETIMEDOUT` when time ran out.
    package var code: Int32

    /// Creates an error.
    package init(step: Step, code: Int32) {
        self.step = step
        self.code = code
    }
}

/// A blocking client for the hddtemp daemon (`hddtemp -d`), which sends its reply to any TCP client
/// and closes the connection.
///
/// Every wait is bounded: the connection must be up within ``connectTimeout``, and the whole fetch,
/// connecting included, ends after ``totalTimeout`` or ``maxBytes``, whichever comes first (the bytes
/// received until then are the reply). Name resolution alone is not bounded (a numeric host needs
/// none). Blocking: call it off the sampling path (``HddtempMonitor`` does).
package struct HddtempClient: Sendable {
    /// The daemon's host name or address.
    package var host: String
    /// The daemon's TCP port.
    package var port: UInt16
    /// Seconds allowed to establish the connection.
    package var connectTimeout: Double
    /// Seconds allowed for the whole fetch.
    package var totalTimeout: Double
    /// The most bytes read; the rest of a longer reply is ignored.
    package var maxBytes: Int

    /// The daemon's default address, `127.0.0.1:7634`.
    package static let defaultHost = "127.0.0.1"
    /// The daemon's default port.
    package static let defaultPort: UInt16 = 7634

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - host: the daemon's host name or address.
    ///   - port: the daemon's TCP port.
    ///   - connectTimeout: seconds allowed to connect.
    ///   - totalTimeout: seconds allowed for the whole fetch.
    ///   - maxBytes: the most bytes read.
    package init(
        host: String = defaultHost,
        port: UInt16 = defaultPort,
        connectTimeout: Double = 1,
        totalTimeout: Double = 2,
        maxBytes: Int = 64 * 1024
    ) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBytes = maxBytes
    }

    /// Connects, reads until the daemon closes the connection (or a bound is reached), and closes.
    ///
    /// The corresponding C calls are `getaddrinfo`, `socket`, `connect`, `poll` and `read`.
    ///
    /// - Returns: the reply's bytes (possibly cut by ``maxBytes`` or ``totalTimeout``), or why the
    ///   daemon could not be reached or read.
    package func fetch() -> Result<[UInt8], HddtempError> {
        let deadline = Clock.monotonicSeconds() + totalTimeout
        let fd: Int32
        switch connect(until: min(deadline, Clock.monotonicSeconds() + connectTimeout)) {
        case .success(let connected): fd = connected
        case .failure(let error): return .failure(error)
        }
        defer { close(fd) }
        return read(fd, until: deadline)
    }

    // MARK: Connecting

    private func connect(until deadline: Double) -> Result<Int32, HddtempError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else { return .failure(HddtempError(step: .resolve, code: status)) }
        defer { freeaddrinfo(list) }

        var lastError = HddtempError(step: .connect, code: ECONNREFUSED)
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let info = next {
            next = info.pointee.ai_next
            switch connect(info.pointee, until: deadline) {
            case .success(let fd): return .success(fd)
            case .failure(let error): lastError = error
            }
            if Clock.monotonicSeconds() >= deadline { break }
        }
        return .failure(lastError)
    }

    /// One non-blocking connection attempt to one address, waited for until `deadline`.
    private func connect(_ info: addrinfo, until deadline: Double) -> Result<Int32, HddtempError> {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(info.ai_family, type, info.ai_protocol)
        guard fd >= 0 else { return .failure(HddtempError(step: .connect, code: errno)) }
        // Non-blocking: 0 (loopback may connect at once) or EINPROGRESS; never EINTR.
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return .success(fd) }
        var failure = errno
        if failure == EINPROGRESS {
            failure = wait(fd, for: Int16(POLLOUT), until: deadline)
            if failure == 0 {
                var length = socklen_t(MemoryLayout<Int32>.size)
                if getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) < 0 { failure = errno }
            }
        }
        guard failure == 0 else {
            close(fd)
            return .failure(HddtempError(step: .connect, code: failure))
        }
        return .success(fd)
    }

    // MARK: Reading

    private func read(_ fd: Int32, until deadline: Double) -> Result<[UInt8], HddtempError> {
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while reply.count < maxBytes {
            let waited = wait(fd, for: Int16(POLLIN), until: deadline)
            if waited == ETIMEDOUT { return .success(reply) }  // out of time: what arrived is the reply
            if waited != 0 { return .failure(HddtempError(step: .read, code: waited)) }
            let wanted = min(chunk.count, maxBytes - reply.count)
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if got > 0 {
                reply.append(contentsOf: chunk[0..<got])
            } else if got == 0 {
                break  // the daemon closed the connection: the reply is complete
            } else if errno != EINTR, errno != EAGAIN, errno != EWOULDBLOCK {
                return .failure(HddtempError(step: .read, code: errno))
            }
        }
        return .success(reply)
    }

    /// Waits until `fd` is ready for `events` (or has an error that `read`/`SO_ERROR` will report).
    ///
    /// - Returns: 0 when ready, `ETIMEDOUT` at `deadline`, or the errno of `poll`.
    private func wait(_ fd: Int32, for events: Int16, until deadline: Double) -> Int32 {
        while true {
            let remaining = deadline - Clock.monotonicSeconds()
            guard remaining > 0 else { return ETIMEDOUT }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min((remaining * 1000).rounded(.up), 60_000)))
            if ready > 0 { return 0 }
            if ready < 0, errno != EINTR { return errno }
        }
    }
}
