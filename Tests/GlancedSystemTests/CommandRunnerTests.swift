import Foundation
import GlancedSystem
import Testing

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
        #expect(Date().timeIntervalSince(start) < 3)
        // The whole process group is gone: no `sleep 300` child of ours is left.
        usleep(100_000)
        let left = try String(contentsOfFile: "/proc/self/task/\(getpid())/children", encoding: .utf8)
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "children left: \(left)")
    }

    @Test func keepsOnlyTheFirstBytesOfAHugeOutput() {
        guard case .exited(let status, let output) = CommandRunner.run("head -c 1000000 /dev/zero | tr '\\0' x", timeout: 10, maxOutput: 100)
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
