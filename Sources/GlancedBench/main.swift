// GlancedBench: what one sample costs, against the floor of reading the same kernel files in plain C.
//
//   swift build -c release --product GlancedBench && .build/release/GlancedBench [--extra N]
//     [--iterations N] [--plugins] [--scans] [--codec N]
//
// (a) a full sample: StatsCollector.sample(), what the server runs once per refresh: every plugin of
//     PluginRegistry.all, created with init(configuration:), updated into a JSONWriter, plus the getAll
//     document;
// (b) the floor: glanced_floor_read, which reads /proc/PID/{stat,cmdline,io} of every process and the
//     system files a sample needs, without parsing anything.
// (b') the floor as a sample reads it: the same loop, but each cmdline read one scan in ten, as the
//     scan's cmdline cache reads them (CachedCmdlineFloor, in Swift, same syscalls);
// (c) per call: parse and route an XML-RPC request, render the getAll reply and gzip it (once per
//     sample in the server), and a cached call through RPCResponder (HTTP and socket excluded: the
//     wrk load test in Tests/load measures those);
// (d) resident memory: this process's VmRSS, split into anonymous and file-backed pages.
// Both are measured in CPU time (CLOCK_PROCESS_CPUTIME_ID: user + system) and wall time; the figures
// are medians. `--extra N` first spawns N idle `sleep` children (killed at exit) so that the scan has
// a realistic number of processes.

import CGlanced
import CGlancedFloor
import GlancedStats
import GlancedSystem
import Glibc

struct Options {
    var extra = 1000
    var iterations = 20
    var perPlugin = false
    var scanOnly = false
    var codecIterations = 200

    init(_ arguments: [String]) {
        var index = 1
        func next() -> Int {
            index += 1
            guard index < arguments.count, let value = Int(arguments[index]), value >= 0 else {
                fail("\(arguments[index - 1]) needs a non-negative integer")
            }
            return value
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--extra": extra = next()
            case "--iterations": iterations = max(1, next())
            case "--plugins": perPlugin = true
            case "--scans": scanOnly = true
            case "--codec": codecIterations = next()
            case "-h", "--help":
                print(
                    """
                    usage: GlancedBench [--extra N] [--iterations N] [--plugins] [--scans] [--codec N]
                      --extra N       idle children to spawn first (default 1000)
                      --iterations N  measured samples (default 20), after 3 warm-up ones
                      --plugins       also print each plugin's share of a sample
                      --scans         also time the process scan alone, with and without the cmdline cache
                      --codec N       calls per batch for the per-call costs (default 200; 0 skips them)
                    """)
                exit(0)
            default: fail("unknown argument \(arguments[index])")
            }
            index += 1
        }
    }
}

func fail(_ message: String) -> Never {
    printError(message)
    exit(2)
}

/// Writes one line to standard error (the `stderr` C global is off limits in Swift 6).
func printError(_ message: String) {
    var line = Array("GlancedBench: \(message)\n".utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// CPU time of this process and wall time, seconds.
struct Stamp {
    var cpu: Double
    var wall: Double

    static func now() -> Stamp {
        var cpu = timespec()
        var wall = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu)
        clock_gettime(CLOCK_MONOTONIC, &wall)
        return Stamp(
            cpu: Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9, wall: Double(wall.tv_sec) + Double(wall.tv_nsec) / 1e9)
    }

    static func - (lhs: Stamp, rhs: Stamp) -> Stamp {
        Stamp(cpu: lhs.cpu - rhs.cpu, wall: lhs.wall - rhs.wall)
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func milliseconds(_ seconds: Double) -> String {
    let hundredths = Int((seconds * 100_000).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) ms"
}

func ratio(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Idle children in their own process group, killed and reaped by ``stop()``.
final class IdleChildren {
    private var pids: [pid_t] = []
    private var group: pid_t = 0

    init(count: Int) {
        guard count > 0 else { return }
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("sleep"), strdup("600"), nil]
        defer { for argument in arguments { free(argument) } }
        let environment: [UnsafeMutablePointer<CChar>?] = [nil]
        for _ in 0..<count {
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, group)
            var pid: pid_t = 0
            let status = posix_spawn(&pid, "/bin/sleep", nil, &attributes, arguments, environment)
            posix_spawnattr_destroy(&attributes)
            guard status == 0 else {
                printError("spawned only \(pids.count) children (posix_spawn: \(status))")
                break
            }
            if group == 0 { group = pid }
            pids.append(pid)
        }
    }

    var count: Int { pids.count }

    func stop() {
        guard group != 0 else { return }
        kill(-group, SIGKILL)
        for pid in pids {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        pids = []
        group = 0
    }
}

/// Resident memory now (all, anonymous, file-backed) and at its peak, KiB.
func residentKiB() -> (now: Int, anonymous: Int, file: Int, peak: Int) {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    var fields: [Substring: Int] = [:]
    var reader = ProcFileReader()
    if let text = reader.readString("/proc/self/status") {
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") || line.hasPrefix("Rss") {
            let parts = line.split(omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
            guard let key = parts.first, parts.count > 1 else { continue }
            fields[key] = Int(parts[1])
        }
    }
    return (fields["VmRSS:"] ?? 0, fields["RssAnon:"] ?? 0, fields["RssFile:"] ?? 0, usage.ru_maxrss)
}

/// The measurement: a collector as the server holds it, the floor's buffer, the figures.
struct Bench {
    let options: Options
    let collector: StatsCollector
    var outputBytes = 0
    var floorBuffer = [CChar](repeating: 0, count: 1 << 16)
    var floorProcesses = 0
    var cachedFloor = CachedCmdlineFloor(cmdlineEvery: 10)

    init(options: Options) {
        self.options = options
        collector = StatsCollector(configuration: PluginConfiguration())
    }

    /// One sample of every plugin, as the server takes it.
    mutating func sample() -> Stamp {
        let start = Stamp.now()
        let snapshot = collector.sample()
        let cost = Stamp.now() - start
        outputBytes = Glances2JSON.all(snapshot.sample).count
        return cost
    }

    /// The floor: the same kernel files read by a plain C loop.
    mutating func floorRead() -> Stamp {
        let start = Stamp.now()
        let processes = floorBuffer.withUnsafeMutableBufferPointer { glanced_floor_read($0.baseAddress, $0.count) }
        let cost = Stamp.now() - start
        floorProcesses = Int(processes)
        return cost
    }

    /// The floor with each cmdline read one scan in ten, as the scan reads them.
    mutating func cachedFloorRead() -> Stamp {
        let start = Stamp.now()
        _ = cachedFloor.readAll()
        return Stamp.now() - start
    }

    mutating func run(extraChildren: Int) {
        // Warm up: the first samples set the baselines and read every cmdline.
        for _ in 0..<3 {
            _ = sample()
            _ = floorRead()
            _ = cachedFloorRead()
        }
        var samples: [Stamp] = []
        var floors: [Stamp] = []
        var cachedFloors: [Stamp] = []
        // Interleaved, so that a burst of load elsewhere on the machine hits all three alike.
        for _ in 0..<options.iterations {
            samples.append(sample())
            floors.append(floorRead())
            cachedFloors.append(cachedFloorRead())
        }
        let sampleCPU = median(samples.map(\.cpu))
        let floorCPU = median(floors.map(\.cpu))
        let cachedFloorCPU = median(cachedFloors.map(\.cpu))
        let sampleWall = median(samples.map(\.wall))
        let floorWall = median(floors.map(\.wall))
        let memory = residentKiB()
        let perProcess = 1e6 / Double(max(floorProcesses, 1))
        print(
            "processes: \(floorProcesses) (\(extraChildren) extra idle), plugins: \(collector.names.count), iterations: \(options.iterations)"
        )
        print(
            "full sample: cpu \(milliseconds(sampleCPU)), wall \(milliseconds(sampleWall)), getAll \(outputBytes) bytes"
        )
        print("floor:       cpu \(milliseconds(floorCPU)), wall \(milliseconds(floorWall))")
        print(
            "ratio:       cpu \(ratio(floorCPU > 0 ? sampleCPU / floorCPU : 0)), wall \(ratio(floorWall > 0 ? sampleWall / floorWall : 0))"
        )
        print(
            "floor, cmdline 1 scan in 10 (as the scan reads them): cpu \(milliseconds(cachedFloorCPU)), "
                + "sample/that \(ratio(cachedFloorCPU > 0 ? sampleCPU / cachedFloorCPU : 0))"
        )
        print("per process: sample \(ratio(sampleCPU * perProcess)) us, floor \(ratio(floorCPU * perProcess)) us (cpu)")
        print(
            "rss:         \(memory.now) KiB now (\(memory.anonymous) anonymous, \(memory.file) file-backed), "
                + "\(memory.peak) KiB peak"
        )
        if options.scanOnly {
            for (label, interval) in [("cached cmdlines", 10), ("every cmdline  ", 1)] {
                guard let scanner = ProcessScanner(cmdlineRefreshInterval: interval) else { continue }
                for _ in 0..<3 { _ = scanner.scan() }
                var costs: [Double] = []
                for _ in 0..<options.iterations {
                    let start = Stamp.now()
                    _ = scanner.scan()
                    costs.append((Stamp.now() - start).cpu)
                }
                let cost = median(costs)
                print("scan alone, \(label): cpu \(milliseconds(cost)) (\(ratio(cost / floorCPU)) of the floor)")
            }
        }
        if options.perPlugin { printPluginShares() }
        if options.codecIterations > 0 {
            CodecBench(iterations: options.codecIterations).run(snapshot: collector.sample(), collector: collector)
            let after = residentKiB()
            print("rss after the per-call runs: \(after.now) KiB now, \(after.peak) KiB peak")
        }
    }

    /// Each plugin's median CPU time within a sample, on a separate set of plugins and sources.
    func printPluginShares() {
        let configuration = PluginConfiguration()
        let types = PluginRegistry.all
        var plugins: [any StatsPlugin] = types.map { $0.init(configuration: configuration) }
        let store = SourceStore(configuration: configuration)
        var costs = [[Double]](repeating: [], count: types.count)
        for round in 0..<(options.iterations + 3) {
            let refresh = Refresh(store: store)
            for index in plugins.indices {
                let before = Stamp.now()
                _ = Self.update(&plugins[index], refresh)
                if round >= 3 { costs[index].append((Stamp.now() - before).cpu) }
            }
        }
        print("per plugin (median cpu; a shared source counts in the first plugin that reads it):")
        for (index, type) in types.enumerated() {
            print("  \(type.name.padding(13)) \(milliseconds(median(costs[index])))")
        }
    }

    private static func update<P: StatsPlugin>(_ plugin: inout P, _ refresh: Refresh) -> any PluginStats {
        plugin.update(refresh)
    }
}

let options = Options(CommandLine.arguments)
let children = IdleChildren(count: options.extra)
// Let the children get past exec so that their cmdlines are final.
usleep(300_000)
var bench = Bench(options: options)
bench.run(extraChildren: children.count)
children.stop()

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
