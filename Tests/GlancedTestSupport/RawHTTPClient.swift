import Glibc

/// A test failure with a message.
package struct ClientError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// One parsed HTTP response.
package struct RawResponse {
    package var version: String
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    /// The first header named `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every header named `name` (case-insensitive), in order.
    package func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The body as text.
    package var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.x client over a plain TCP socket to 127.0.0.1, with a small response reader, on raw Glibc
/// sockets: for tests that need exact control of the bytes.
package final class RawHTTPClient {
    package let fd: Int32
    private var buffer: [UInt8] = []
    /// The read and write timeout the connection was opened with.
    private let timeout: Double
    /// Whether the last read timed out.
    package private(set) var timedOut = false
    /// Whether end of stream (or a reset) was seen.
    package private(set) var closed = false

    /// Connects to `127.0.0.1:port`; reads and writes time out after `timeout` seconds.
    ///
    /// `receiveBuffer` fixes the socket's receive buffer (no autotuning), for tests of slow readers.
    package init(port: Int, timeout: Double = 5, receiveBuffer: Int? = nil) throws {
        fd = try loopbackSocket(port: port, receiveBuffer: receiveBuffer)
        self.timeout = timeout
        setTimeout(timeout)
    }

    deinit {
        if !released { Glibc.close(fd) }
    }

    private var released = false

    /// Closes the socket now.
    package func close() {
        if !released { Glibc.close(fd) }
        released = true
    }

    package func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes`; `false` if the peer is gone (no SIGPIPE).
    @discardableResult
    package func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    @discardableResult
    package func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Sends a request with a Content-Length body; throws if it cannot be sent.
    package func request(
        _ method: String = "POST", path: String = "/RPC2", version: String = "HTTP/1.1",
        headers: [(String, String)] = [], body: [UInt8] = []
    ) throws {
        var head = "\(method) \(path) \(version)\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        guard send(Array(head.utf8) + body) else { throw ClientError("send failed: errno \(errno)") }
    }

    /// Half-closes: no more data from us.
    package func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads more bytes into the buffer; `false` at end of stream, reset or timeout.
    private func fill() -> Bool {
        guard !closed else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
                return true
            }
            if n < 0, errno == EINTR { continue }
            if n == 0 || errno == ECONNRESET { closed = true }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK { timedOut = true }
            return false
        }
    }

    /// Reads one response (Content-Length framing, or until end of stream without it).
    package func readResponse() throws -> RawResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd = 0
        while true {
            if let index = firstIndex(of: separator) {
                headEnd = index
                break
            }
            guard fill() else {
                throw ClientError(
                    "\(timedOut ? "timed out" : "connection ended") before a response head (\(buffer.count) bytes)")
            }
        }
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw ClientError("bad status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw ClientError("bad header line: \(line)") }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers.append((String(line[..<colon]), String(value)))
        }
        var response = RawResponse(version: statusLine[0], status: status, headers: headers, body: [])
        // 1xx, 204 and 304 replies never have a body (RFC 9112 §6.3).
        if (100..<200).contains(response.status) || response.status == 204 || response.status == 304 {
            return response
        }
        if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            if lastRequestWasHead { return response }
            while buffer.count < length {
                guard fill() else { throw ClientError("\(timedOut ? "timed out" : "connection ended") inside a body") }
            }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            while fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Set by tests that send HEAD, whose replies carry a Content-Length but no body.
    package var lastRequestWasHead = false

    /// Whether the server closed the connection (end of stream or reset) within the read timeout,
    /// with no further bytes sent.
    package func isClosedByServer() -> Bool {
        while fill() {}
        return closed && buffer.isEmpty
    }

    /// Whether the server has closed the connection: the next read (waiting up to the timeout) finds end of
    /// stream. Unlike `isClosedByServer()`, a reset or a byte of data is not a close.
    package func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Whether the connection is still open: nothing arrives within `seconds`, and no end of stream.
    package func isOpen(waiting seconds: Double = 0.2) -> Bool {
        setTimeout(seconds)
        defer { setTimeout(timeout) }
        return !fill() && !closed
    }

    private func firstIndex(of pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for start in 0...(buffer.count - pattern.count) where buffer[start] == pattern[0] {
            if Array(buffer[start..<(start + pattern.count)]) == pattern { return start }
        }
        return nil
    }
}

/// A TCP socket connected to `127.0.0.1:port`.
///
/// `receiveBuffer` fixes the socket's receive buffer (no autotuning), for tests of slow readers.
func loopbackSocket(port: Int, receiveBuffer: Int? = nil) throws(ClientError) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ClientError("socket: \(errno)") }
    if var size = receiveBuffer.map(Int32.init) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard result == 0 else {
        let code = errno
        Glibc.close(fd)
        throw ClientError("connect: errno \(code)")
    }
    return fd
}

/// Builds a request's bytes.
package func request(
    _ method: String = "POST",
    _ path: String = "/RPC2",
    version: String = "HTTP/1.1",
    headers: [(String, String)] = [],
    body: String = ""
) -> String {
    var text = "\(method) \(path) \(version)\r\nHost: localhost\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
    return text + "\r\n" + body
}

/// A raw request head: the request line, the fields, CRLF line ends and the blank line.
package func rawHead(_ requestLine: String, _ fields: [String]) -> [UInt8] {
    Array((([requestLine] + fields).joined(separator: "\r\n") + "\r\n\r\n").utf8)
}

/// A raw `POST` request with a Content-Length body.
package func rawPost(_ body: [UInt8], path: String = "/RPC2", version: String = "HTTP/1.1", fields: [String] = [])
    -> [UInt8]
{
    rawHead("POST \(path) \(version)", ["Host: 127.0.0.1", "Content-Length: \(body.count)"] + fields) + body
}
