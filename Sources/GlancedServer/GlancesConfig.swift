package import GlancedStats
import GlancedSystem
internal import Glibc

/// A `glances.conf` file in the Glances v2 INI format, overlaid on Glances' shipped defaults.
///
/// The syntax is Python's `RawConfigParser`: `[section]` headers, `key = value` or `key: value`
/// options, `#` and `;` comment lines, `[DEFAULT]` options merged into every section, keys
/// case-insensitive, values trimmed. Anything else is an error naming the file and line: the server
/// never starts half-configured.
package struct GlancesConfig: Sendable {
    /// The file the options came from; nil for the built-in defaults alone.
    package var path: String?
    /// The sections, names lower-cased, each with its options in file order.
    package private(set) var sections: [String: ConfigSection]

    /// Glances' shipped defaults and nothing else.
    package static let defaults = GlancesConfig(path: nil, sections: builtInSections())

    /// The view plugins read.
    package var pluginConfiguration: PluginConfiguration {
        PluginConfiguration(sections: sections)
    }

    private init(path: String?, sections: [String: ConfigSection]) {
        self.path = path
        self.sections = sections
    }

    /// The section named `name` (lower-case); empty when absent.
    package func section(_ name: String) -> ConfigSection {
        sections[name] ?? ConfigSection()
    }

    // MARK: Loading

    /// The configuration file to use: `explicit` when given, else the first that exists of
    /// `$XDG_CONFIG_HOME/glanced/glanced.conf` (or `~/.config/...`), `/etc/glanced/glanced.conf` and
    /// `/etc/glances/glances.conf`; nil when there is none.
    package static func locate(explicit: String?, environment: [String: String]) -> String? {
        if let explicit { return explicit }
        var candidates: [String] = []
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            candidates.append(xdg + "/glanced/glanced.conf")
        } else if let home = environment["HOME"], !home.isEmpty {
            candidates.append(home + "/.config/glanced/glanced.conf")
        }
        candidates += ["/etc/glanced/glanced.conf", "/etc/glances/glances.conf"]
        return candidates.first { access($0, F_OK) == 0 }
    }

    /// Reads and checks the file at `path`, overlaid on the defaults.
    package static func load(path: String) throws(ConfigError) -> GlancesConfig {
        guard let text = readWholeFile(path) else {
            throw ConfigError(path: path, line: 0, message: "cannot read file: \(String(cString: strerror(errno)))")
        }
        return try parse(text, path: path)
    }

    /// Parses `text` (the contents of `path`) and overlays it on the defaults.
    package static func parse(_ text: String, path: String) throws(ConfigError) -> GlancesConfig {
        var parsed: [(name: String, section: ConfigSection)] = []
        var defaults = ConfigSection()
        var current: Int?  // index in `parsed`; nil before the first header or inside [DEFAULT]
        var inDefault = false
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == ";" { continue }
            if line.first == " " || line.first == "\t" {
                throw ConfigError(path: path, line: lineNumber, message: "unexpected indented line")
            }
            if trimmed.first == "[" {
                guard trimmed.last == "]", trimmed.count > 2 else {
                    throw ConfigError(path: path, line: lineNumber, message: "malformed section header")
                }
                let name = String(trimmed.dropFirst().dropLast().trimmingSpaces).lowercased()
                guard !name.isEmpty else {
                    throw ConfigError(path: path, line: lineNumber, message: "empty section name")
                }
                if name == "default" {
                    inDefault = true
                    current = nil
                } else {
                    inDefault = false
                    if let existing = parsed.firstIndex(where: { $0.name == name }) {
                        current = existing
                    } else {
                        parsed.append((name, ConfigSection()))
                        current = parsed.count - 1
                    }
                }
                continue
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigError(path: path, line: lineNumber, message: "expected 'key = value' or a [section]")
            }
            let key = String(trimmed[..<separator].trimmingSpaces).lowercased()
            let value = String(trimmed[trimmed.index(after: separator)...].trimmingSpaces)
            guard !key.isEmpty else {
                throw ConfigError(path: path, line: lineNumber, message: "option without a name")
            }
            let entry = ConfigSection.Entry(key: key, value: value, line: lineNumber)
            if inDefault {
                defaults.set(entry)
            } else if let current {
                parsed[current].section.set(entry)
            } else {
                throw ConfigError(path: path, line: lineNumber, message: "option '\(key)' before any [section]")
            }
        }

        var sections = builtInSections()
        for (name, section) in parsed {
            var merged = sections[name] ?? ConfigSection()
            for entry in defaults.entries { merged.set(entry) }
            for entry in section.entries { merged.set(entry) }
            sections[name] = merged
        }
        let config = GlancesConfig(path: path, sections: sections)
        try config.validate()
        return config
    }

    /// Checks the values the server relies on: thresholds are numbers, regular expressions compile.
    private func validate() throws(ConfigError) {
        let path = self.path ?? "(defaults)"
        for (name, section) in sections {
            for entry in section.entries {
                let key = entry.key
                if key.hasSuffix("_careful") || key.hasSuffix("_warning") || key.hasSuffix("_critical")
                    || ["careful", "warning", "critical"].contains(key)
                {
                    guard Double(entry.value) != nil else {
                        throw ConfigError(
                            path: path, line: entry.line,
                            message: "[\(name)] \(key): threshold '\(entry.value)' is not a number")
                    }
                }
                if key == "hide" || (name == "monitor" && key.hasSuffix("_regex")) {
                    let patterns = key == "hide" ? Self.list(entry.value) : [entry.value]
                    for pattern in patterns {
                        if ConfigRegex(pattern) == nil {
                            throw ConfigError(
                                path: path, line: entry.line,
                                message: "[\(name)] \(key): regular expression '\(pattern)' does not compile"
                                    + " (POSIX extended syntax, plus \\d, (?:...) and lazy quantifiers; no look-arounds,"
                                    + " back-references or stacked quantifiers; repetitions up to \(ConfigRegex.maxExpansion) copies)"
                            )
                        }
                    }
                }
                if name == "hddtemp", key == "port" {
                    guard let port = Int(entry.value), (1...65535).contains(port) else {
                        throw ConfigError(
                            path: path, line: entry.line, message: "[hddtemp] port: '\(entry.value)' is not a port")
                    }
                }
            }
        }
    }

    // MARK: Limits

    /// The `getAllLimits` object of `plugin`: every option `key` of its section as `plugin_key`, a
    /// float when it reads as a number, else the list of its comma-separated parts (trimmed).
    package func writeLimits(of plugin: String, into json: inout JSONWriter) {
        let entries = plugin == "monitor" ? [] : section(plugin).entries
        json.object { json in
            for entry in entries {
                json.key(plugin + "_" + entry.key)
                if let number = Double(entry.value) {
                    json.value(number)
                } else {
                    json.array { json in
                        for part in Self.list(entry.value) { json.value(part) }
                    }
                }
            }
        }
    }

    /// `value` split on commas, each part trimmed.
    package static func list(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
    }

    // MARK: Defaults

    /// Glances' shipped thresholds (API.md §4).
    private static func builtInSections() -> [String: ConfigSection] {
        func levels(_ prefixes: [String], _ careful: String, _ warning: String, _ critical: String) -> ConfigSection {
            var entries: [ConfigSection.Entry] = []
            for prefix in prefixes {
                let head = prefix.isEmpty ? "" : prefix + "_"
                entries.append(.init(key: head + "careful", value: careful))
                entries.append(.init(key: head + "warning", value: warning))
                entries.append(.init(key: head + "critical", value: critical))
            }
            return ConfigSection(entries)
        }
        var sensors = levels(["temperature_core"], "60", "70", "80").entries
        sensors += levels(["temperature_hdd"], "45", "52", "60").entries
        sensors += levels(["battery"], "80", "90", "95").entries
        return [
            "cpu": levels(["user", "system", "iowait", "steal"], "50", "70", "90"),
            "percpu": levels(["user", "system", "iowait"], "50", "70", "90"),
            "load": levels([""], "0.7", "1.0", "5.0"),
            "mem": levels([""], "50", "70", "90"),
            "memswap": levels([""], "50", "70", "90"),
            "fs": levels([""], "50", "70", "90"),
            "sensors": ConfigSection(sensors),
            "processlist": levels(["cpu", "mem"], "50", "70", "90"),
        ]
    }

    private static func readWholeFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            bytes += chunk[0..<got]
            if bytes.count > 1 << 20 {
                errno = EFBIG
                return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A configuration problem, reported as one line naming the file, the line and what is wrong.
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    package var path: String
    /// The line, 1-based; 0 when the problem is the file as a whole.
    package var line: Int
    /// What is wrong.
    package var message: String

    package var description: String {
        line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
