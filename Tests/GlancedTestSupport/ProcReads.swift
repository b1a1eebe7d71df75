import Foundation

/// Independent reads of the kernel's files, for tests to check the server's numbers against.
package enum ProcReads {
    /// The text of a file; empty when it cannot be read.
    package static func text(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// A `/proc/meminfo` value in kB.
    package static func meminfoKiB(_ key: String) -> UInt64? {
        for line in text("/proc/meminfo").split(separator: "\n") where line.hasPrefix(key + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        }
        return nil
    }

    /// The three load averages.
    package static func loadavg() -> [Double] {
        text("/proc/loadavg").split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    /// Seconds since boot.
    package static func uptime() -> Double {
        Double(text("/proc/uptime").split(separator: " ").first ?? "0") ?? 0
    }

    /// The `cpuN` lines of `/proc/stat`.
    package static func cpuLines() -> Int {
        text("/proc/stat").split(separator: "\n").filter { $0.hasPrefix("cpu") && !$0.hasPrefix("cpu ") }.count
    }

    /// Runs a command and returns its standard output (trimmed).
    package static func run(_ argv: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
