import Dispatch
import Foundation
import GlancedSync
import GlancedSystem
import GlancedTestSupport
import Glibc

/// A TCP peer on 127.0.0.1 that plays the hddtemp daemon (or a broken one), counting connections.
final class FakeHddtemp: Sendable {
    /// What the peer does with each connection.
    enum Behaviour: Sendable {
        /// Sends these bytes and closes, as hddtemp does.
        case reply([UInt8])
        /// Accepts and sends nothing for this many seconds, then closes.
        case hang(seconds: Double)
    }

    /// The reply the conformance checker's fake daemon sends.
    static let conformanceReply = Array("|/dev/sda|FakeDisk|35|C||/dev/sdb|FakeSSD|SLP|*|".utf8)

    /// The port it listens on.
    let port: UInt16

    private let listener: Int32
    private let behaviour: Behaviour
    private let state = Locked((hits: 0, stopped: false))
    private let running = DispatchGroup()

    /// Starts listening on `port` (0: any free port).
    init(_ behaviour: Behaviour, port: UInt16 = 0) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw FixtureError("bind/listen on port \(port): errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        // Threads of its own, not Dispatch's global queue: that pool is as wide as the machine has
        // cores, and parallel tests blocked in it would leave the peer unable to answer in time.
        running.enter()
        Thread { [self] in
            acceptLoop()
            running.leave()
        }.start()
    }

    deinit { stop() }

    /// Connections accepted so far.
    var hits: Int { state.withLock { $0.hits } }

    /// Stops accepting, ends hanging connections, and closes the listening socket (the port then
    /// refuses connections).
    func stop() {
        let first = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        running.wait()
        close(listener)
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while !stopped {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 20) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)  // not into a glanced child started meanwhile
            state.withLock { $0.hits += 1 }
            running.enter()
            Thread { [self] in
                serve(connection)
                close(connection)
                running.leave()
            }.start()
        }
    }

    private func serve(_ connection: Int32) {
        switch behaviour {
        case .reply(let bytes):
            var sent = 0
            while sent < bytes.count {
                // MSG_NOSIGNAL: a client that stops reading (a bounded read) must not kill the test run.
                let n = bytes.withUnsafeBytes {
                    send(connection, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                }
                if n <= 0 { return }
                sent += n
            }
        case .hang(let seconds):
            let end = Date().addingTimeInterval(seconds)
            while Date() < end, !stopped { usleep(10_000) }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// A port with nothing listening on it (bound, then closed: free unless someone takes it meanwhile).
    static func closedPort() throws -> UInt16 {
        let peer = try FakeHddtemp(.reply([]))
        peer.stop()
        return peer.port
    }
}

/// A fixture could not be set up.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs the real `glanced` binary (its hidden `dump` subcommand) in a private mount namespace whose
/// sysfs holds a fake hwmon chip and fake batteries, as the conformance checker does.
///
/// A multithreaded test process cannot enter a mount namespace of its own, hence the child process:
/// `unshare -m --propagation private sh -c SCRIPT`, where SCRIPT mounts a tmpfs over `/sys/class`,
/// binds every real class back except `hwmon` and `power_supply`, runs the fixture's shell lines and
/// `exec`s glanced. The mounts vanish with the child.
enum SensorSysfsFixture {
    /// The child's output.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout's lines.
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The `glanced` executable built beside this test bundle (`.build/debug/glanced`).
    static var glancedPath: String { BuiltProducts.glanced }

    /// Whether the fixture can run here: root (for `unshare -m` and `mount`) and `unshare` installed.
    static var available: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
    }

    /// The conformance checker's tree: coretemp `temp1` 45 °C "Core 0" (max 80, crit 100), `fan1`
    /// 1200 rpm, batteries BAT0 73 % and BAT1 53 %.
    static let conformanceTree = """
        h=/sys/class/hwmon/hwmon0
        mkdir -p $h
        echo coretemp >$h/name
        echo 45000 >$h/temp1_input
        echo 'Core 0' >$h/temp1_label
        echo 80000 >$h/temp1_max
        echo 100000 >$h/temp1_crit
        echo 1200 >$h/fan1_input
        for b in BAT0:73 BAT1:53; do
          d=/sys/class/power_supply/${b%%:*}
          mkdir -p $d
          echo Battery >$d/type
          echo ${b##*:} >$d/capacity
          echo 1 >$d/present
          echo Discharging >$d/status
        done

        """

    /// A `glances.conf` pointing `[hddtemp]` at 127.0.0.1:`port`.
    static func config(hddtempPort port: UInt16) -> String {
        "[hddtemp]\nhost=127.0.0.1\nport=\(port)\n"
    }

    /// Runs `glanced dump ARGUMENTS -C CONFIG` after `tree` (shell lines; `$work` is a scratch
    /// directory) has built the fake sysfs.
    ///
    /// - Parameters:
    ///   - tree: shell lines run after the tmpfs is mounted over `/sys/class`.
    ///   - config: the configuration file's text.
    ///   - replaceSys: mount the tmpfs over all of `/sys` instead (libsensors then refuses to start,
    ///     since `/sys` is no longer sysfs); `tree` still builds `/sys/class/...` on it.
    ///   - arguments: what follows `dump`.
    static func dump(tree: String, config: String, replaceSys: Bool = false, _ arguments: [String]) throws -> Output {
        var template = Array("/tmp/glanced-sensors-XXXXXX".utf8CString)
        guard let base = mkdtemp(&template) else { throw FixtureError("mkdtemp: errno \(errno)") }
        let work = String(cString: base)
        defer { _ = try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work + "/keep", withIntermediateDirectories: true)
        try config.write(toFile: work + "/glanced.conf", atomically: false, encoding: .utf8)

        let mounts =
            replaceSys
            ? "mount -t tmpfs -o mode=0755 glanced-test /sys\nmkdir -p /sys/class\n"
            : """
            mount --bind /sys/class "$work/keep"
            mount -t tmpfs -o mode=0755 glanced-test /sys/class
            for e in "$work/keep"/*; do
              n=${e##*/}
              case $n in hwmon|power_supply|'*') continue ;; esac
              mkdir "/sys/class/$n" && mount --bind "$e" "/sys/class/$n" || true
            done

            """
        let script = "set -e\nwork=$1; shift\n" + mounts + tree + "exec \"$@\"\n"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments =
            ["-m", "--propagation", "private", "sh", "-c", script, "sh", work, glancedPath, "dump"]
            + arguments + ["-C", work + "/glanced.conf"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
