import Foundation
import GlancedSystem
import GlancedTestSupport
import Testing

/// Fields of `/proc/PID/stat`, split after the `(comm)`: index 0 is the state.
private func statFields(_ pid: Int32) -> [Substring]? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
    else { return nil }
    return text[text.index(after: close)...].split(separator: " ")
}

private func waitUntil(timeout: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}

@Suite struct ProcessScannerTests {
    @Test func listsItsOwnProcessWithTheKernelsFigures() throws {
        let scanner = try #require(ProcessScanner())
        let readings = scanner.scan()
        let me = try #require(readings.first { $0.pid == getpid() })
        let fields = try #require(statFields(getpid()))
        #expect(me.parentPID == Int32(fields[1]))
        #expect(me.startTicks == UInt64(fields[19]))
        #expect(me.nice == Int32(fields[16]))
        #expect(me.threads >= 1)
        #expect(!me.isKernelThread)
        let cmdline = try Data(contentsOf: URL(fileURLWithPath: "/proc/self/cmdline"))
        let expected = String(decoding: cmdline, as: UTF8.self)
            .split(separator: "\0", omittingEmptySubsequences: false).dropLast().joined(separator: " ")
        #expect(me.cmdline == expected)
        let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8)
        #expect(me.name == comm.trimmingCharacters(in: .newlines))
        let user = try #require(getpwuid(geteuid())).pointee.pw_name.map { String(cString: $0) }
        #expect(me.userName == user)
        #expect(me.userID == geteuid())
        #expect(me.io != nil, "a process can read its own io")
        #expect(me.residentBytes > 1 << 20 && me.virtualBytes >= me.residentBytes)
    }

    @Test func sortedByPidAndAboutAsManyAsProcDirectories() throws {
        let scanner = try #require(ProcessScanner())
        func directories() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }.count
        }
        // Counted just before and just after the scan: processes come and go meanwhile.
        let before = try directories()
        let readings = scanner.scan()
        let after = try directories()
        #expect(readings.count >= min(before, after) - 10 && readings.count <= max(before, after) + 10)
        #expect(zip(readings, readings.dropFirst()).allSatisfy { $0.pid < $1.pid })
    }

    @Test func kernelThreadsHaveNoCmdline() throws {
        let scanner = try #require(ProcessScanner())
        let readings = scanner.scan()
        for reading in readings where reading.isKernelThread {
            #expect(reading.cmdline == "")
            #expect(reading.residentBytes == 0)
        }
        // kthreadd is pid 2 in the initial pid namespace.
        if let kthreadd = readings.first(where: { $0.pid == 2 && $0.parentPID == 0 }) {
            #expect(kthreadd.isKernelThread)
        }
        // Every user process with a non-empty /proc/PID/cmdline has it.
        for reading in readings.prefix(40) where !reading.isKernelThread && reading.state != UInt8(ascii: "Z") {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(reading.pid)/cmdline")), !data.isEmpty
            else { continue }
            #expect(!reading.cmdline.isEmpty, "pid \(reading.pid)")
        }
    }

    @Test func ioIsNilExactlyWhenTheKernelRefusesIt() throws {
        let scanner = try #require(ProcessScanner())
        for reading in scanner.scan() where !reading.isKernelThread {
            let readable = FileManager.default.contents(atPath: "/proc/\(reading.pid)/io") != nil
            guard FileManager.default.fileExists(atPath: "/proc/\(reading.pid)") else { continue }
            #expect((reading.io != nil) == readable, "pid \(reading.pid)")
        }
    }

    @Test func residentMemoryOfAChildHolding200MB() throws {
        // The child says when its 200 MB are written (a file appears), so that its memory no longer moves while
        // the scan and the independent read of /proc/PID/statm are compared.
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("glanced-rss-\(getpid())").path
        try? FileManager.default.removeItem(atPath: ready)
        defer { try? FileManager.default.removeItem(atPath: ready) }
        let child = try TestChild.python(
            "import time\nb = b'x' * (200 << 20)\nopen('\(ready)', 'w').close()\ntime.sleep(60)")
        defer { child.stop() }
        #expect(waitUntil { FileManager.default.fileExists(atPath: ready) }, "the child did not fill its memory")
        let scanner = try #require(ProcessScanner())
        let resident = scanner.scan().first { $0.pid == child.pid }?.residentBytes ?? 0
        #expect(resident >= 200 << 20, "rss \(resident)")
        let statm = try String(contentsOfFile: "/proc/\(child.pid)/statm", encoding: .utf8).split(separator: " ")
        let independent = (UInt64(statm[1]) ?? 0) * UInt64(sysconf(Int32(_SC_PAGESIZE)))
        #expect(abs(Double(resident) - Double(independent)) < Double(independent) * 0.05)
    }

    @Test func namesAreTheKernelsBytesWithInvalidUTF8Repaired() throws {
        // libproc2 masks names (control bytes as ".", bytes from 0x80 up as "?"): "café" would read "caf??".
        let names: [[UInt8]] = [
            Array("caf\u{e9}".utf8), Array("q\"uo\\te\nx.y?".utf8), [0x63, 0x01, 0x1B, 0x5B, 0x7F, 0x09, 0x0D],
            [0x62, 0xFF, 0xFE, 0xC3, 0x28], Array(repeating: UInt8(ascii: "a"), count: 14) + [0xC3, 0xA9],
        ]
        let children = try names.map { name in
            let hex = name.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
            return try TestChild.python(
                "import ctypes, time\nctypes.CDLL(None).prctl(15, bytes.fromhex('\(hex)'), 0, 0, 0)\ntime.sleep(60)")
        }
        defer { for child in children { child.stop() } }
        let scanner = try #require(ProcessScanner())
        for (child, name) in zip(children, names) {
            // The kernel keeps 15 bytes: the last name loses the second byte of its "é".
            let expected = String(decoding: name.prefix(15), as: UTF8.self)
            var seen: String?
            #expect(
                waitUntil {
                    seen = scanner.scan().first { $0.pid == child.pid }?.name
                    return seen == expected
                }, "\(name): \(String(reflecting: seen))")
        }
    }

    @Test func aChildThatExitsDisappears() throws {
        let scanner = try #require(ProcessScanner())
        let child = try TestChild(["sleep", "1000"])
        #expect(waitUntil { scanner.scan().first { $0.pid == child.pid }?.cmdline == "sleep 1000" })
        child.stop()
        #expect(!scanner.scan().contains { $0.pid == child.pid })
    }

    @Test func aVeryLongCmdlineIsReadWhole() throws {
        // Two 100 KiB arguments: more than the scanner's first arena, so it has to grow it.
        let long = String(repeating: "a", count: 100 * 1024)
        let child = try TestChild(["sh", "-c", "exec sleep 1002", long, long + "b"])
        defer { child.stop() }
        let scanner = try #require(ProcessScanner())
        var cmdline = ""
        #expect(
            waitUntil {
                cmdline = scanner.scan().first { $0.pid == child.pid }?.cmdline ?? ""
                return cmdline == "sleep 1002"
            })
        // A shell that keeps the long arguments (and forks only short sleeps).
        let shell = try TestChild(["sh", "-c", "while :; do sleep 0.2; done", long, long + "b"])
        defer { shell.stop() }
        let expected = "sh -c while :; do sleep 0.2; done \(long) \(long)b"
        #expect(waitUntil { ProcessScanner()?.scan().first { $0.pid == shell.pid }?.cmdline == expected })
    }

    @Test func aProcessThatExecsGetsItsNewCmdline() throws {
        let scanner = try #require(ProcessScanner(cmdlineRefreshInterval: 1000))
        let marker = "glanced-exec-\(getpid())"
        // The shell waits for a file, then replaces itself: same pid, same start time, new cmdline.
        let gate = NSTemporaryDirectory() + marker
        defer { try? FileManager.default.removeItem(atPath: gate) }
        let child = try TestChild([
            "sh", "-c", "while [ ! -e \(gate) ]; do sleep 0.05; done; exec sleep 1001",
        ])
        defer { child.stop() }
        // A scan that lands inside an exec (new name, arguments not yet in place) reads an empty
        // cmdline; the next scans must read the real one, and keep it.
        var before: ProcessReading?
        #expect(
            waitUntil {
                before = scanner.scan().first { $0.pid == child.pid }
                return before?.name == "sh" && before?.cmdline.hasPrefix("sh -c while") == true
            })
        let shell = try #require(before)
        #expect(scanner.scan().first { $0.pid == child.pid }?.cmdline == shell.cmdline)
        _ = FileManager.default.createFile(atPath: gate, contents: nil)
        // With a refresh interval of 1000, only the exec itself can make the scanner read it again.
        var after: ProcessReading?
        #expect(
            waitUntil {
                after = scanner.scan().first { $0.pid == child.pid }
                return after?.name == "sleep" && after?.cmdline == "sleep 1001"
            })
        #expect(after?.startTicks == shell.startTicks)
    }

    @Test func cmdlinesStayRightAcrossManyScans() throws {
        // Kept cmdlines and re-read ones must agree with the kernel on every scan, for every process
        // whose cmdline did not change while the scan ran.
        func cmdline(_ pid: Int32) -> String? {
            guard var bytes = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map(Array.init) else {
                return nil
            }
            while bytes.last == 0 { bytes.removeLast() }
            return String(decoding: bytes.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        }
        let scanner = try #require(ProcessScanner(cmdlineRefreshInterval: 3))
        // A kept cmdline may be from up to 3 scans ago: only processes whose cmdline stayed the same over those
        // scans are compared (some rewrite theirs in place, as sshd does).
        var history: [[Int32: String?]] = []
        var compared = 0
        for _ in 0..<7 {
            let pids = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { Int32($0) }
            let before = Dictionary(uniqueKeysWithValues: pids.map { ($0, cmdline($0)) })
            history = Array((history + [before]).suffix(3))
            let readings = scanner.scan()
            for reading in readings where !reading.isKernelThread && reading.state != UInt8(ascii: "Z") {
                guard let expected = before[reading.pid] ?? nil, cmdline(reading.pid) == expected,
                    !expected.isEmpty, history.allSatisfy({ ($0[reading.pid] ?? nil) == expected })
                else { continue }
                #expect(reading.cmdline == expected, "pid \(reading.pid)")
                compared += 1
            }
        }
        #expect(compared >= 7, "this process at least, on every scan")
    }
}
