import Glibc

/// A blocking HTTP/1.x client over a plain TCP socket, for tests that need exact control of the bytes.
package final class RawHTTPClient {
    /// A parsed reply.
    package struct Reply {
        package var status: Int
        package var version: String
        package var headers: [(String, String)]
        package var body: [UInt8]

        /// The first header named `name` (case-insensitive).
        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The body as text.
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A socket error.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to `127.0.0.1:port` (or `host`).
    package init(port: Int, host: String = "127.0.0.1", timeout: Double = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect to \(host):\(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// Sends raw bytes.
    package func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Sends a request with a Content-Length body.
    package func request(
        _ method: String = "POST", path: String = "/RPC2", version: String = "HTTP/1.1",
        headers: [(String, String)] = [], body: [UInt8] = []
    ) throws {
        var head = "\(method) \(path) \(version)\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
    }

    /// Reads one reply (Content-Length or until close).
    package func readReply() throws -> Reply {
        while true {
            if let end = headEnd() {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
                let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                    throw Failure(description: "bad status line")
                }
                var headers: [(String, String)] = []
                for line in lines where !line.isEmpty {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: " ")))
                }
                let bodyStart = end + 4
                if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
                    while pending.count < bodyStart + length {
                        guard try fill() else { throw Failure(description: "connection closed mid-body") }
                    }
                    let body = Array(pending[bodyStart..<(bodyStart + length)])
                    pending.removeFirst(bodyStart + length)
                    return Reply(status: status, version: String(statusLine[0]), headers: headers, body: body)
                }
                while try fill() {}
                let body = Array(pending[bodyStart...])
                pending.removeAll()
                return Reply(status: status, version: String(statusLine[0]), headers: headers, body: body)
            }
            guard try fill() else { throw Failure(description: "connection closed before a reply") }
        }
    }

    /// Whether the server has closed the connection (reads until EOF or `timeout`).
    package func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    private func headEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if got < 0 { throw Failure(description: "recv failed: errno \(errno)") }
        if got == 0 { return false }
        pending += chunk[0..<got]
        return true
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(self).trimmingCharacters(in: set)
    }
}
