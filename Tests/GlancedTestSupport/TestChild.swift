package import Foundation

/// A child process the test owns, spawned directly (not through Foundation's `Process`, whose exit
/// detection waits for every inheritor of a socket): killed and reaped by `stop()`.
package final class TestChild {
    /// The child's pid.
    package let pid: pid_t
    /// The pid as JSON shows it.
    package var jsonPID: Int { Int(pid) }
    private var reaped = false

    /// Spawns `argv` (`argv[0]` looked up in `PATH`) with this process's environment.
    ///
    /// - Parameter newSession: make it the leader of a new session, hence of its own scheduler autogroup.
    package init(_ argv: [String], newSession: Bool = false) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26+): Glibc's Swift module hides it (it needs _GNU_SOURCE).
        if newSession { posix_spawnattr_setflags(&attributes, 0x80) }
        let arguments = argv.map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in arguments { free(argument) }
            for variable in environment { free(variable) }
        }
        var child: pid_t = 0
        let status = posix_spawnp(&child, argv[0], nil, &attributes, arguments, environment)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        pid = child
    }

    /// `python3 -c program`, preferring the system's interpreter (no version-manager shims).
    package static func python(_ program: String) throws -> TestChild {
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        return try TestChild([python, "-c", program])
    }

    /// Kills and reaps the child (once).
    package func stop() {
        guard !reaped else { return }
        reaped = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
