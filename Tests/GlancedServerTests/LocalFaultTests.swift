import Dispatch
import GlancedServer
import GlancedTestSupport
import Glibc
import Synchronization
import Testing

/// Bad local conditions: processes exiting mid-scan at a high rate, an hddtemp peer that never answers, a
/// monitor command that never exits, the configuration file vanishing. No request fails, none waits.
@Suite struct LocalFaultTests {
    /// The longest any request may take here: sampling a busy machine, never waiting on a peer or a command
    /// (whose limits are 5 s and more). Sanitized builds sample several times slower.
    static let prompt = runningUnderSanitizer ? 4.0 : 1.5

    /// Calls `method` and checks the reply is a JSON string, in time; returns the seconds it took.
    @discardableResult
    static func expectPromptJSON(_ port: Int, _ method: String, sourceLocation: SourceLocation = #_sourceLocation)
        -> Double
    {
        let started = monotonicNow()
        do {
            let reply = try call(port, method)
            _ = try reply.json()
        } catch {
            Issue.record("\(method) failed: \(error)", sourceLocation: sourceLocation)
        }
        let took = monotonicNow() - started
        #expect(took < prompt, "\(method) took \(took) s", sourceLocation: sourceLocation)
        return took
    }

    static func config(_ text: String) throws -> GlancesConfig {
        try GlancesConfig.parse(text, path: "test.conf")
    }

    /// Thousands of short-lived children forked and reaped while getProcessList, getProcessCount and getAll
    /// are polled with a short refresh interval, so that scans keep meeting processes that exit under them.
    @Test func processesExitingMidScan() async throws {
        try await withServer(configuredBy: { $0.refreshInterval = 0.02 }) { port throws in
            let done = Atomic(false)
            let spawned = Atomic(0)
            DispatchQueue.global().async {
                defer { done.store(true, ordering: .sequentiallyConsistent) }
                let started = monotonicNow()
                // 3,000 children; the time cap only guards against a hang (a loaded machine spawns slowly).
                while spawned.load(ordering: .relaxed) < 3_000, monotonicNow() - started < timeLimit(90) {
                    var batch: [pid_t] = []
                    for _ in 0..<25 {
                        var pid: pid_t = 0
                        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
                        defer { free(argv[0]) }
                        if posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0 { batch.append(pid) }
                    }
                    for pid in batch {
                        var status: Int32 = 0
                        waitpid(pid, &status, 0)
                    }
                    spawned.add(batch.count, ordering: .relaxed)
                }
            }
            var requests = 0
            let methods = ["getProcessList", "getProcessCount", "getAll"]
            while !done.load(ordering: .sequentiallyConsistent) {
                Self.expectPromptJSON(port, methods[requests % methods.count])
                requests += 1
            }
            #expect(spawned.load(ordering: .relaxed) >= 3_000)
            #expect(requests >= 3)
            let list = try call(port, "getProcessList").json()
            #expect(list.items.contains { $0["pid"] == .int(Int(getpid())) })
        }
    }

    /// `[hddtemp] port` names a socket that accepts connections and never says anything.
    @Test func hddtempPeerThatNeverAnswers() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 128) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        try #require(bound)
        let hddtempPort = Int(UInt16(bigEndian: address.sin_port))
        let config = try Self.config("[hddtemp]\nhost = 127.0.0.1\nport = \(hddtempPort)\n")
        try await withServer(configuredBy: {
            $0.config = config
            $0.refreshInterval = 0.1
        }) { port throws in
            let started = monotonicNow()
            while monotonicNow() - started < 4 {
                Self.expectPromptJSON(port, "getAll")
                Self.expectPromptJSON(port, "getHddtemp")
                Self.expectPromptJSON(port, "getSensors")
                usleep(100_000)
            }
            #expect(try call(port, "getHddtemp").json() == .array([]))
        }
    }

    /// A monitor command that never exits (`sleep 1000`): getAll and getAllMonitored stay prompt, past the
    /// command's time limit, and the command is killed rather than left behind.
    @Test func monitorCommandThatNeverExits() async throws {
        // A duration no other run uses (`sleep` takes fractions): only this test's commands are counted.
        let sleep = "sleep 1000.\(getpid())"
        let config = try Self.config(
            """
            [monitor]
            list_1_description=Sleeper
            list_1_regex=^\(sleep)
            list_1_command=\(sleep)
            list_2_description=Shell
            list_2_regex=^tail -f
            list_2_command=tail -f /dev/null
            """)
        try await withServer(configuredBy: {
            $0.config = config
            $0.refreshInterval = 0.1
        }) { port throws in
            let started = monotonicNow()
            while monotonicNow() - started < 7 {
                Self.expectPromptJSON(port, "getAll")
                Self.expectPromptJSON(port, "getAllMonitored")
                usleep(100_000)
            }
            // The first run hits its 5 s limit at about 5 s; killing and reaping it may take a while longer.
            var monitored = JSONValue.array([])
            #expect(
                eventually(within: timeLimit(5)) {
                    monitored = (try? call(port, "getAllMonitored").json()) ?? .array([])
                    return monitored.items.first?["result"] == .string("Timeout: \(sleep)")
                })
            #expect(monitored.items.count == 2)
        }
        // Runs are killed after their time limit (5 s), the one in flight at shutdown too. Under AddressSanitizer
        // one was seen to outlive its limit (and the test process): reported, recorded here as a known issue.
        withKnownIssue("monitor command outlives its time limit under a sanitizer", isIntermittent: true) {
            #expect(eventually(within: 8) { Self.processes(withCommandLine: "sleep\u{0}1000.\(getpid())\u{0}") == 0 })
        } when: {
            runningUnderSanitizer
        }
    }

    /// The configuration file is deleted after start: the server keeps serving with what it read, and a
    /// reload that cannot read the file keeps the old configuration.
    @Test func configurationFileVanishes() async throws {
        let path = "/tmp/glanced-vanishing-\(getpid()).conf"
        let text = "[cpu]\nuser_careful = 11\n[monitor]\nlist_1_description=Init\nlist_1_regex=init\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        _ = text.utf8CString.withUnsafeBytes { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        let config = try GlancesConfig.load(path: path)
        try await withServer(configuredBy: { $0.config = config }) { port throws in
            expectServed(port)
            unlink(path)
            #expect(throws: ConfigError.self) { try GlancesConfig.load(path: path) }
            for _ in 0..<5 {
                Self.expectPromptJSON(port, "getAll")
                Self.expectPromptJSON(port, "getAllMonitored")
            }
            let limits = try call(port, "getAllLimits").json()
            #expect(limits.items.contains { $0["cpu_user_careful"] == .double(11) })
        }
    }

    /// How many processes have exactly this command line (`\0`-separated, as /proc shows it).
    static func processes(withCommandLine wanted: String) -> Int {
        guard let directory = opendir("/proc") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = direntName(entry)
            guard Int(name) != nil else { continue }
            let fd = open("/proc/\(name)/cmdline", O_RDONLY)
            guard fd >= 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 256)
            let got = read(fd, &buffer, buffer.count)
            close(fd)
            if got > 0, Array(buffer[0..<got]) == Array(wanted.utf8) { count += 1 }
        }
        return count
    }
}
