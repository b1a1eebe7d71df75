internal import CGlanced
internal import CProc2
internal import Glibc

/// Facts about the machine that do not change while the server runs, and the load average and uptime.
package enum HostInfo {
    /// The host name (`gethostname`).
    package static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The kernel release (`uname -r`).
    package static func kernelRelease() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "" }
        return withUnsafeBytes(of: &names.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// `"64bit"` or `"32bit"`, as Python's `platform.architecture()` says of this build.
    package static var platformBits: String { "\(MemoryLayout<Int>.size * 8)bit" }

    /// `NAME VERSION_ID` from `/etc/os-release` (`/usr/lib/os-release` as a fallback), e.g. "Debian GNU/Linux 12".
    package static func linuxDistribution() -> String {
        var reader = ProcFileReader()
        guard let text = reader.readString("/etc/os-release") ?? reader.readString("/usr/lib/os-release") else {
            return ""
        }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = line[line.index(after: equals)...]
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            fields[String(line[..<equals])] = String(value)
        }
        return [fields["NAME"], fields["VERSION_ID"]].compactMap { $0 }.joined(separator: " ")
    }

    /// The number of logical CPUs (the corresponding libproc2 call is `procps_cpu_count`).
    package static func logicalCPUs() -> Int {
        max(1, Int(procps_cpu_count()))
    }

    /// The number of physical cores: distinct `core_cpus_list` (or `thread_siblings_list`) sets under
    /// `/sys/devices/system/cpu`, as psutil counts them; the logical count when sysfs does not say.
    package static func physicalCores() -> Int {
        var reader = ProcFileReader()
        var cores = Set<String>()
        let logical = logicalCPUs()
        for cpu in 0..<max(logical, 1) {
            let base = "/sys/devices/system/cpu/cpu\(cpu)/topology/"
            if let set = reader.readString(base + "core_cpus_list") ?? reader.readString(base + "thread_siblings_list")
            {
                cores.insert(set)
            }
        }
        return cores.isEmpty ? logical : cores.count
    }

    /// The 1, 5 and 15 minute load averages (the corresponding libproc2 call is `procps_loadavg`).
    package static func loadAverage() -> (one: Double, five: Double, fifteen: Double) {
        var one = 0.0
        var five = 0.0
        var fifteen = 0.0
        _ = procps_loadavg(&one, &five, &fifteen)
        return (one, five, fifteen)
    }

    /// Seconds since boot (the corresponding libproc2 call is `procps_uptime`).
    package static func uptimeSeconds() -> Double {
        var up = 0.0
        var idle = 0.0
        _ = procps_uptime(&up, &idle)
        return up
    }

    /// The libproc2 version this binary was built against, e.g. `[4, 0, 2]`.
    package static func libproc2Version() -> [Int] {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        _ = glanced_proc2_version(&major, &minor, &patch)
        return [Int(major), Int(minor), Int(patch)]
    }

    /// Local time as `"YYYY-MM-DD HH:MM:SS"` (`localtime_r` + `strftime`).
    package static func localTimeString(epoch: Double) -> String {
        var seconds = time_t(epoch)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let length = strftime(&text, text.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: text.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `/proc/sys/kernel/pid_max`: the largest pid plus one; 0 when unreadable.
    package static func pidMax() -> Int {
        var reader = ProcFileReader(capacity: 64)
        return reader.readString("/proc/sys/kernel/pid_max").flatMap { Int($0.filter { $0.isNumber }) } ?? 0
    }

    /// The processor's name: the first `model name` of `/proc/cpuinfo` (`Hardware` or `Processor` on some ARM
    /// kernels); "CPU" when it says nothing.
    package static func cpuName(cpuinfo path: String = "/proc/cpuinfo") -> String {
        var reader = ProcFileReader(capacity: 1 << 16)
        guard let text = reader.readString(path) else { return "CPU" }
        for key in ["model name", "Hardware", "Processor", "cpu model"] {
            for line in text.split(separator: "\n") where line.hasPrefix(key) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let value = line[line.index(after: colon)...].trimmingSpaces
                if !value.isEmpty { return value }
            }
        }
        return "CPU"
    }

    /// The current and the highest frequency of the CPUs, in Hz: the mean of the `scaling_cur_freq` files
    /// (the `cpu MHz` lines of `/proc/cpuinfo` when there are none) and the highest `cpuinfo_max_freq`; nil when
    /// the machine does not say.
    package static func cpuFrequencies(
        sysfs: String = "/sys/devices/system/cpu", cpuinfo: String = "/proc/cpuinfo"
    ) -> (current: Double?, max: Double?) {
        var reader = ProcFileReader(capacity: 64)
        var current: [Double] = []
        var maximum: Double?
        for cpu in 0..<logicalCPUs() {
            let base = "\(sysfs)/cpu\(cpu)/cpufreq/"
            if let khz = reader.readString(base + "scaling_cur_freq").flatMap({ Double($0.trimmingSpaces) }) {
                current.append(khz * 1000)
            }
            if let khz = reader.readString(base + "cpuinfo_max_freq").flatMap({ Double($0.trimmingSpaces) }) {
                maximum = Swift.max(maximum ?? 0, khz * 1000)
            }
        }
        if current.isEmpty {
            var big = ProcFileReader(capacity: 1 << 16)
            for line in (big.readString(cpuinfo) ?? "").split(separator: "\n") where line.hasPrefix("cpu MHz") {
                guard let colon = line.firstIndex(of: ":"),
                    let mhz = Double(line[line.index(after: colon)...].trimmingSpaces)
                else { continue }
                current.append(mhz * 1_000_000)
            }
        }
        return (current.isEmpty ? nil : current.reduce(0, +) / Double(current.count), maximum)
    }

    /// The local time as 3.x and 4.x servers write `now`: `YYYY-MM-DD HH:MM:SS TZ` (`2026-12-03 21:47:36 UTC`).
    package static func localTimeStringWithZone(epoch: Double) -> String {
        format(epoch: epoch, "%Y-%m-%d %H:%M:%S %Z")
    }

    /// The local time in ISO 8601 with its offset, as Python's `isoformat()`: `2026-12-03T22:48:38+00:00`.
    package static func localTimeISO(epoch: Double) -> String {
        let text = format(epoch: epoch, "%Y-%m-%dT%H:%M:%S%z")
        // strftime's %z is +hhmm; isoformat writes +hh:mm.
        guard text.count >= 5 else { return text }
        let cut = text.index(text.endIndex, offsetBy: -2)
        return text[..<cut] + ":" + text[cut...]
    }

    private static func format(epoch: Double, _ pattern: String) -> String {
        var seconds = time_t(epoch)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var text = [CChar](repeating: 0, count: 64)
        let length = strftime(&text, text.count, pattern, &parts)
        return String(decoding: text.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
