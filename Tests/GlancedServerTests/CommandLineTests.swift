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

    @Test(arguments: [
        (["-p"], "missing value for '-p'"),
        (["--port=x1"], "--port wants an integer, not 'x1'"),
        (["-t", "0"], "refresh time must be a positive number of seconds"),
        (["--debug=yes"], "'--debug' takes no value"),
        (["-sx"], "'-s' takes no value"),
        (["-q"], "unknown option '-q'"),
        (["stray"], "unexpected argument 'stray'"),
        (["-B", "127.0.0.1", "--bind", "::1"], "'--bind' given more than once"),
        (["--password", "--password-file", "/x"], "use either --password or --password-file, not both"),
        (["--xmlrpc-listen", "61210"], "--xmlrpc-listen 61210: want PORT:GENERATION"),
    ])
    func usageErrorsNameTheProblemAndExit64(arguments: [String], message: String) throws {
        let outcome = try BuiltProducts.run(BuiltProducts.glanced, arguments)
        #expect(outcome.status == 64)
        #expect(outcome.stderr.hasPrefix("glanced: error: \(message)"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Usage: glanced serve [options]"))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func optionValuesAreReadInEverySpelling() throws {
        // -CFILE, --samples=N, --interval N and a plugin name after `--`: the dump subcommand reads the same grammar
        // as the server, and says what it read by its output.
        let path = try Self.temporaryFile("[load]\ncareful = 0.1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try BuiltProducts.run(
            BuiltProducts.glanced, ["dump", "-C\(path)", "--samples=2", "--interval", "0.01", "--", "core"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        #expect(outcome.stdout.contains("\"log\": \(cores)"), "\(outcome.stdout)")
        #expect(outcome.stdout.split(separator: "\n").count == 1)
    }

    @Test func helpListsEveryServerOptionAndVersionIsThePackages() throws {
        let help = try BuiltProducts.run(BuiltProducts.glanced, ["serve", "--help"])
        #expect(help.status == 0)
        for option in [
            "-B, --bind", "-p, --port", "-t, --time", "-C, --config", "--xmlrpc-api", "--xmlrpc-listen", "--password",
            "--password-file", "--username", "--max-body", "--max-connections", "--idle-timeout", "--header-timeout",
            "-d, --debug",
        ] {
            #expect(help.stdout.contains("  \(option) ") || help.stdout.contains("  \(option)\n"), "\(option)")
        }
        let viaHelp = try BuiltProducts.run(BuiltProducts.glanced, ["help", "serve"])
        #expect(viaHelp.status == 0 && viaHelp.stdout == help.stdout)
        let top = try BuiltProducts.run(BuiltProducts.glanced, ["--help"])
        #expect(top.status == 0 && top.stdout.contains("hash-password") && !top.stdout.contains("dump"))
        let version = try BuiltProducts.run(BuiltProducts.glanced, ["--version"])
        #expect(version.status == 0 && version.stdout.split(separator: "\n").count == 1)
    }

    @Test func sigtermStopsTheServerCleanly() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.glanced)
        // `-sd`: the server flag and --debug in one word, as argparse (and so `glances`) reads it.
        process.arguments = ["-sd", "-B127.0.0.1", "--port=0", "-t", "1"]
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
        #expect(logText().contains("open-files limit"), "-d logs at debug level: \(logText())")
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
