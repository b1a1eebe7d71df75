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

    /// Checks the values the server relies on: each plugin checks the options of its own section that it
    /// reads (thresholds are numbers, regular expressions compile, a port is a port). Options it does not
    /// read are left alone, whatever their value: any Glances version's file is accepted.
    private func validate() throws(ConfigError) {
        let path = self.path ?? "(defaults)"
        for type in PluginRegistry.all {
            do {
                try type.validate(section(type.name))
            } catch {
                throw ConfigError(path: path, line: error.line, message: error.message)
            }
        }
        try validateServerSection(path: path)
    }

    /// What the file holds that no plugin reads: whole sections (`[outputs]`, `[amps]`, …) and options of a
    /// plugin's section (`nice_warning`, `disable`, …), each with its line. They are ignored.
    package var ignored: [(section: String, key: String?, line: Int)] {
        let plugins = Dictionary(PluginRegistry.all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var ignored: [(section: String, key: String?, line: Int)] = []
        for name in sections.keys.sorted() {
            let entries = sections[name]?.entries.filter { $0.line > 0 } ?? []
            if name == Self.serverSection {
                for entry in entries where !Self.serverKeys.contains(entry.key) && !Self.daemonKeys.contains(entry.key)
                {
                    ignored.append((name, entry.key, entry.line))
                }
                continue
            }
            guard let plugin = plugins[name] else {
                if let first = entries.first { ignored.append((name, nil, first.line)) }
                continue
            }
            for entry in entries where !plugin.reads(entry.key) {
                ignored.append((name, entry.key, entry.line))
            }
        }
        return ignored
    }

    // MARK: The daemon's own options

    /// The section of glanced's own options (Glances has no such section).
    package static let daemonSection = "glanced"
    private static let daemonKeys: Set<String> = ["xmlrpc_api", "xmlrpc_listen"]

    /// `[glanced] xmlrpc_api`: what the main port's XML-RPC speaks; nil when the file does not say.
    package func xmlrpcGeneration() throws(ConfigError) -> GlancesGeneration? {
        guard let entry = section(Self.daemonSection).entry("xmlrpc_api") else { return nil }
        guard let generation = ServerConfiguration.generation(entry.value) else {
            throw ConfigError(
                path: path ?? "(defaults)", line: entry.line,
                message: "[glanced] xmlrpc_api: '\(entry.value)' is not 2, 3 or 4")
        }
        return generation
    }

    /// `[glanced] xmlrpc_listen`: further XML-RPC listeners, `PORT:GENERATION` separated by commas.
    package func xmlrpcListeners() throws(ConfigError) -> [ServerConfiguration.Listener] {
        guard let entry = section(Self.daemonSection).entry("xmlrpc_listen") else { return [] }
        var listeners: [ServerConfiguration.Listener] = []
        for part in Self.list(entry.value) where !part.isEmpty {
            guard let listener = ServerConfiguration.Listener(part) else {
                throw ConfigError(
                    path: path ?? "(defaults)", line: entry.line,
                    message: "[glanced] xmlrpc_listen: '\(part)' is not PORT:GENERATION (generation 2, 3 or 4)")
            }
            listeners.append(listener)
        }
        return listeners
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

    /// Glances' shipped thresholds (API.md §4): each plugin's ``StatsPlugin/defaultOptions``.
    private static func builtInSections() -> [String: ConfigSection] {
        var sections: [String: ConfigSection] = [:]
        for type in PluginRegistry.all where !type.defaultOptions.isEmpty {
            sections[type.name] = ConfigSection(type.defaultOptions)
        }
        return sections
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
