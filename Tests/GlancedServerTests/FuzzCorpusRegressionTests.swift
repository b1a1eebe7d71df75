import GlancedServer
import GlancedTestSupport
import Glibc
import Testing

/// The FuzzRequest and FuzzConfig seed corpora (`Tests/Fuzz/corpus/…`) replayed here: raw request bytes against
/// a real server (which must answer or close, then serve the next client), configuration texts through the
/// parser. A crash the fuzzers find is minimized into those folders and stays a regression test here.
@Suite struct FuzzCorpusRegressionTests {
    @Test func requestCorpusAgainstARealServer() async throws {
        let inputs = FuzzCorpus.files("FuzzRequest")
        #expect(inputs.count >= 3)
        try await withServer(configuredBy: { $0.idleTimeout = 1 }) { port throws in
            for path in inputs {
                // The first byte is where the fuzzer splits the input into two reads.
                let bytes = FuzzCorpus.read(path)
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
        let inputs = FuzzCorpus.files("FuzzConfig")
        #expect(inputs.count >= 3)
        for path in inputs {
            let text = String(decoding: FuzzCorpus.read(path), as: UTF8.self)
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
