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
}
