import GlancedServer
import GlancedTestSupport
import Glibc
import Testing

/// The FuzzRequest and FuzzConfig seed corpora (`Tests/Fuzz/corpus/…`) replayed here: raw request bytes against
/// a real server (which must answer or close, then serve the next client), configuration texts through the
/// parser. A crash the fuzzers find is minimized into those folders and stays a regression test here.
@Suite struct FuzzCorpusRegressionTests {
    static func folder(_ target: String) -> String {
        var path = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        path.removeLast(2)
        return path.joined(separator: "/") + "/Fuzz/corpus/" + target
    }

    static func files(_ target: String) -> [String] {
        guard let directory = opendir(folder(target)) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = direntName(entry)
            if !name.hasPrefix(".") { names.append(folder(target) + "/" + name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while case let got = Glibc.read(fd, &chunk, chunk.count), got > 0 { bytes += chunk[0..<got] }
        return bytes
    }

    @Test func requestCorpusAgainstARealServer() async throws {
        let inputs = Self.files("FuzzRequest")
        #expect(inputs.count >= 3)
        try await withServer(configuredBy: { $0.idleTimeout = 1 }) { port throws in
            for path in inputs {
                // The first byte is where the fuzzer splits the input into two reads.
                let bytes = Self.read(path)
                guard let split = bytes.first else { continue }
                let rest = Array(bytes.dropFirst())
                let cut = rest.isEmpty ? 0 : Int(split) % (rest.count + 1)
                let socket = try #require(IdleSocket(port: port))
                socket.send(Array(rest[..<cut]))
                usleep(2_000)
                socket.send(Array(rest[cut...]))
                shutdown(socket.fd, Int32(SHUT_WR))
                let reply = socket.read(until: "\u{0}never", within: 5)
                #expect(reply.isEmpty || reply.starts(with: Array("HTTP/1.".utf8)), "\(path)")
                expectServed(port)
            }
        }
    }

    @Test func configCorpusParsesOrNamesALine() {
        let inputs = Self.files("FuzzConfig")
        #expect(inputs.count >= 3)
        for path in inputs {
            let text = String(decoding: Self.read(path), as: UTF8.self)
            do {
                let config = try GlancesConfig.parse(text, path: "corpus.conf")
                _ = GlancesMethods(plugins: ["cpu", "monitor"], config: config)
            } catch {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect((1...max(lines, 1)).contains(error.line), "\(path): \(error)")
            }
        }
    }
}
