import Foundation
import GlancedServer
import GlancedTestSupport
import Testing

@Suite struct CommandLineTests {
    static func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "glanced-test-\(UUID().uuidString).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aBadConfigFileStopsStartUpWithOneLineNamingFileAndLine() throws {
        let path = try Self.temporaryFile("[mem]\ncareful = 50\nwarning = lots\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try BuiltProducts.run(BuiltProducts.glanced, ["-B", "127.0.0.1", "-p", "0", "-C", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "glanced: \(path):3: [mem] warning: threshold 'lots' is not a number\n")
    }

    @Test func anUnreadableConfigFileIsReported() throws {
        let outcome = try BuiltProducts.run(BuiltProducts.glanced, ["-p", "0", "-C", "/nonexistent/glanced.conf"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("glanced: /nonexistent/glanced.conf: cannot read file"))
    }

    @Test func aPortInUseIsOneClearLineAndAFailure() async throws {
        try await withServer { port throws in
            let outcome = try BuiltProducts.run(BuiltProducts.glanced, ["-B", "127.0.0.1", "-p", "\(port)"])
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("address already in use"), "\(outcome.stderr)")
        }
    }

    @Test func aBadFlagIsAUsageError() throws {
        let outcome = try BuiltProducts.run(BuiltProducts.glanced, ["--port", "notaport"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("port"))
    }

    @Test func sigtermStopsTheServerCleanly() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.glanced)
        process.arguments = ["-s", "-B", "127.0.0.1", "-p", "0", "-t", "1"]
        // Its log goes to a file, to see when it has started (a slow start-up is no failure).
        let log = NSTemporaryDirectory() + "glanced-sigterm-\(getpid()).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        let started = Date().addingTimeInterval(30)
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        while process.isRunning && !logText().contains("glanced listening") && Date() < started { usleep(20_000) }
        #expect(logText().contains("glanced listening"), "log: \(logText())")
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!process.isRunning, "stopped within 5 s")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test func hashPasswordPrintsGlancesStoredForm() throws {
        let outcome = try BuiltProducts.run(BuiltProducts.glanced, ["hash-password"], stdin: "s3cret\n")
        #expect(outcome.status == 0)
        let stored = try #require(StoredPassword(stored: outcome.stdout))
        #expect(stored.salt.count == 32)
        #expect(stored.schemes == [.sha256, .pbkdf2])
        #expect(stored == StoredPassword(plain: "s3cret", salt: stored.salt, pbkdf2Salt: stored.forms[1].salt))
    }
}
