import Glibc

/// The floor as the scan actually reads: `/proc/PID/stat` and `/proc/PID/io` of every process, and
/// `/proc/PID/cmdline` of one process in `cmdlineEvery` (the scan keeps a cmdline from scan to scan and
/// re-reads each one every ``ProcessScanner/cmdlineRefreshInterval`` scans, spread over pids), plus the
/// same system files as `glanced_floor_read`.
///
/// A line-by-line transcription of `glanced_floor_read` (CShims/CGlancedFloor/floor.c) with raw Glibc calls:
/// the same syscalls in the same order, nothing parsed. It exists so that the sample can be compared
/// both with the C floor, which reads every cmdline every time, and with the files a sample really
/// reads.
struct CachedCmdlineFloor {
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var round = 0
    let cmdlineEvery: Int

    init(cmdlineEvery: Int) {
        self.cmdlineEvery = max(1, cmdlineEvery)
    }

    private static let systemFiles = [
        "/proc/stat", "/proc/meminfo", "/proc/loadavg", "/proc/uptime", "/proc/net/dev", "/proc/diskstats",
        "/proc/self/mountinfo",
    ]

    /// Reads the files once; returns the number of processes seen.
    mutating func readAll() -> Int {
        round &+= 1
        let every = cmdlineEvery
        let round = self.round
        return buffer.withUnsafeMutableBytes { buffer -> Int in
            guard let dir = opendir("/proc") else { return 0 }
            var processes = 0
            var path = [CChar](repeating: 0, count: 64)
            path.withUnsafeMutableBufferPointer { path in
                guard let base = path.baseAddress else { return }
                for (offset, byte) in "/proc/".utf8.enumerated() { base[offset] = CChar(bitPattern: byte) }
                while let entry = readdir(dir) {
                    let (length, pid) = withUnsafeBytes(of: &entry.pointee.d_name) { name -> (Int, Int) in
                        var length = 0
                        var pid = 0
                        while length < name.count, name[length] != 0 {
                            let digit = name[length]
                            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9"), length < 20 else {
                                return (0, 0)
                            }
                            base[6 + length] = CChar(bitPattern: digit)
                            pid = pid &* 10 &+ Int(digit - UInt8(ascii: "0"))
                            length += 1
                        }
                        return (length, pid)
                    }
                    guard length > 0 else { continue }
                    let tail = base + 6 + length
                    Self.readFile(base, tail: tail, name: "/stat", into: buffer)
                    if (pid &+ round) % every == 0 { Self.readFile(base, tail: tail, name: "/cmdline", into: buffer) }
                    Self.readFile(base, tail: tail, name: "/io", into: buffer)
                    processes += 1
                }
            }
            closedir(dir)
            for file in Self.systemFiles {
                let descriptor = open(file, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { continue }
                while Glibc.read(descriptor, buffer.baseAddress, buffer.count) == buffer.count {}
                close(descriptor)
            }
            return processes
        }
    }

    /// Writes `name` (ASCII) at `tail`, then reads the file `path` whole into `buffer`.
    private static func readFile(
        _ path: UnsafeMutablePointer<CChar>, tail: UnsafeMutablePointer<CChar>, name: StaticString,
        into buffer: UnsafeMutableRawBufferPointer
    ) {
        name.withUTF8Buffer { bytes in
            for (offset, byte) in bytes.enumerated() { tail[offset] = CChar(bitPattern: byte) }
            tail[bytes.count] = 0
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        while Glibc.read(descriptor, buffer.baseAddress, buffer.count) == buffer.count {}
        close(descriptor)
    }
}
