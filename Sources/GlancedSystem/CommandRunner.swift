internal import CGlanced
import GlancedSync
internal import Glibc

/// Runs a shell command with a time limit and a bound on the output it keeps.
///
/// The command runs as `/bin/sh -c COMMAND` in its own process group, with standard input from
/// `/dev/null`; when the time is up the whole group is killed (`SIGKILL`) and reaped. The caller's
/// thread blocks for at most `timeout` seconds: run it off the request path.
package enum CommandRunner {
    /// How a run ended.
    package enum Outcome: Sendable, Equatable {
        /// The command exited with `status`; `output` is its standard output (up to the limit).
        case exited(status: Int32, output: String)
        /// The command did not finish in time and was killed.
        case timedOut
        /// The command could not be started.
        case failed(String)
    }

    /// The process groups of the runs in progress, so that ``killRunning()`` can end them.
    private static let running = Locked<Set<pid_t>>([])

    /// Kills (`SIGKILL`) the process group of every run in progress: called when the server stops, so
    /// that no command outlives it. The runs end as killed (`.exited` with status 128 + 9).
    package static func killRunning() {
        running.withLock { groups in
            for group in groups { kill(-group, SIGKILL) }
        }
    }

    /// Runs `command` and waits for it, at most `timeout` seconds.
    ///
    /// - Parameters:
    ///   - command: a `/bin/sh -c` command line.
    ///   - timeout: seconds before the process group is killed.
    ///   - maxOutput: bytes of standard output kept; the rest is read and dropped.
    /// - Returns: how the run ended. The corresponding C calls are `posix_spawn`, `poll` and `waitpid`.
    package static func run(_ command: String, timeout: Double, maxOutput: Int = 65_536) -> Outcome {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return .failed("pipe: errno \(errno)") }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // Neither end leaks into other children spawned meanwhile; dup2 clears the flag on the child's 1.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        sigaddset(&defaultSignals, SIGTERM)
        sigaddset(&defaultSignals, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for pointer in argv { free(pointer) } }
        // The lock is held across the spawn, so that killRunning() never misses a group just starting.
        let spawned = running.withLock { groups in
            let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, glanced_environment())
            if spawned == 0 { groups.insert(pid) }
            return spawned
        }
        // Reaped (every return below waits for the shell): the group is no longer ours to kill.
        defer { _ = running.withLock { $0.remove(pid) } }
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            return .failed("posix_spawn: \(String(cString: strerror(spawned)))")
        }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Clock.monotonicSeconds() + timeout
        var timedOut = false
        while true {
            let remaining = deadline - Clock.monotonicSeconds()
            if remaining <= 0 {
                timedOut = true
                break
            }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000 + 1, 60_000)))
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }
            let got = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                break
            }
            if got == 0 { break }
            if output.count < maxOutput { output += chunk[0..<min(got, maxOutput - output.count)] }
        }
        close(readEnd)
        if timedOut {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return .timedOut
        }
        // Output is closed: the shell has exited or closed stdout; wait out what is left of the time.
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { return .failed("waitpid: errno \(errno)") }
            if Clock.monotonicSeconds() >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .timedOut
            }
            usleep(5_000)
        }
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return .exited(status: exitStatus, output: String(decoding: output, as: UTF8.self))
    }
}
