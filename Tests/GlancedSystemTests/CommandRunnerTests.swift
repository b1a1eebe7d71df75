import Foundation
import GlancedSync
import GlancedSystem
import GlancedTestSupport
import Testing

/// The command lines of this process's descendants that contain `marker` (children of any of its threads,
/// and their children).
func childrenRunning(marker: String) throws -> [String] {
    var pending = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").flatMap { task in
        ((try? String(contentsOfFile: "/proc/self/task/\(task)/children", encoding: .utf8)) ?? "").split(separator: " ")
    }
    var found: [String] = []
    while let pid = pending.popLast() {
        guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
        let line = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        if line.contains(marker) { found.append(line) }
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
            pending += ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ")
        }
    }
    return found
}

@Suite struct CommandRunnerTests {
    @Test func returnsStandardOutputWithItsTrailingNewline() {
        #expect(CommandRunner.run("echo hello", timeout: 5) == .exited(status: 0, output: "hello\n"))
    }

    @Test func reportsTheExitStatus() {
        #expect(CommandRunner.run("echo partial; exit 3", timeout: 5) == .exited(status: 3, output: "partial\n"))
    }

    @Test func killsACommandThatOutlivesItsTimeAndItsChildren() throws {
        let marker = "glanced-test-\(UUID().uuidString)"
        let start = Date()
        let outcome = CommandRunner.run("sleep 300 & exec sh -c 'sleep 300; echo \(marker)'", timeout: 0.5)
        #expect(outcome == .timedOut)
        #expect(Date().timeIntervalSince(start) < timeLimit(3))
        // The whole process group is gone: no `sleep 300` child of ours is left.
        usleep(100_000)
        #expect(try childrenRunning(marker: "sleep 300").isEmpty)
    }

    @Test func killRunningEndsTheRunsInProgress() throws {
        let outcome = Locked<CommandRunner.Outcome?>(nil)
        let thread = SamplingThread(name: "test-runner")
        thread.async { outcome.withLock { $0 = CommandRunner.run("sleep 301 & sleep 302", timeout: 120) } }
        let start = Date()
        let sleeps = { try childrenRunning(marker: "sleep 30").filter { $0.hasPrefix("sleep") } }
        while try sleeps().count < 2, Date().timeIntervalSince(start) < 10 { usleep(10_000) }
        #expect(try sleeps().count == 2, "both sleeps started")
        CommandRunner.killRunning()
        while outcome.withLock({ $0 }) == nil, Date().timeIntervalSince(start) < 20 { usleep(10_000) }
        #expect(outcome.withLock { $0 } == .exited(status: 128 + SIGKILL, output: ""))
        usleep(100_000)
        #expect(try sleeps().isEmpty, "the whole group was killed")
    }

    @Test func keepsOnlyTheFirstBytesOfAHugeOutput() {
        guard
            case .exited(let status, let output) = CommandRunner.run(
                "head -c 1000000 /dev/zero | tr '\\0' x", timeout: 10, maxOutput: 100)
        else {
            Issue.record("did not exit")
            return
        }
        #expect(status == 0)
        #expect(output == String(repeating: "x", count: 100))
    }

    @Test func aMissingShellCommandIsAnExitStatus() {
        guard case .exited(let status, _) = CommandRunner.run("/nonexistent/command", timeout: 5) else {
            Issue.record("did not exit")
            return
        }
        #expect(status == 127)
    }
}
