import Glibc

/// The command line's grammar: subcommands, each with its options, read the way `glances` (argparse) reads them.
///
/// `--name value`, `--name=value`, `-p value` and `-p61209`; flags take no value; `--` ends the options.
/// A usage error is printed with the command's usage and ends the process with status 64 (`EX_USAGE`).
struct CommandSpec: Sendable {
    struct Option: Sendable {
        /// Spellings, e.g. `["-p", "--port"]`; the first long one (else the first) names the value.
        var names: [String]
        /// What the value is called in the help (`PORT`); nil for a flag.
        var value: String?
        var help: String
        var repeatable = false

        var key: String { names.first { $0.hasPrefix("--") } ?? names[0] }
    }

    var name: String
    var abstract: String
    var discussion = ""
    var options: [Option]
    /// What positional arguments are called in the help; nil when the command takes none.
    var positionals: String?

    /// The usage line and every option, as `--help` prints them.
    func help(program: String) -> String {
        var text = "\(abstract)\n\nUsage: \(usage(program: program))\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        text += "\nOptions:\n"
        let rows = options.map { option in
            (option.names.joined(separator: ", ") + (option.value.map { " \($0)" } ?? ""), option.help)
        }
        let width = min(rows.map(\.0.count).max() ?? 0, 30)
        for (left, right) in rows {
            let padding = left.count < width ? String(repeating: " ", count: width - left.count) : ""
            text +=
                left.count > width
                ? "  \(left)\n  \(String(repeating: " ", count: width))  \(right)\n" : "  \(left)\(padding)  \(right)\n"
        }
        text += "  -h, --help" + String(repeating: " ", count: max(width - 10, 0)) + "  Show this help.\n"
        return text
    }

    func usage(program: String) -> String {
        "\(program)\(name.isEmpty ? "" : " \(name)") [options]" + (positionals.map { " [\($0) ...]" } ?? "")
    }

    /// Reads `arguments` (the words after the subcommand).
    func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") {
                guard positionals != nil else { throw UsageError("unexpected argument '\(word)'") }
                parsed.positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            if word == "-h" || word == "--help" {
                parsed.helpAsked = true
                continue
            }
            // --name=value, -pVALUE, or the option alone (its value, if any, is the next word).
            var spelling = word
            var attached: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                spelling = String(word[..<equals])
                attached = String(word[word.index(after: equals)...])
            } else if !word.hasPrefix("--"), word.count > 2 {
                spelling = String(word.prefix(2))
                attached = String(word.dropFirst(2))
            }
            guard let option = options.first(where: { $0.names.contains(spelling) }) else {
                throw UsageError("unknown option '\(word)'")
            }
            if option.value == nil {
                if let attached, !word.hasPrefix("--") {
                    // A cluster of short flags, `-sd` for `-s -d`, as argparse reads it.
                    let cluster = attached.map { letter in options.first { $0.names.contains("-\(letter)") } }
                    guard cluster.allSatisfy({ $0 != nil && $0?.value == nil }) else {
                        throw UsageError("'\(spelling)' takes no value")
                    }
                    parsed.flags.insert(option.key)
                    for flag in cluster.compactMap({ $0 }) { parsed.flags.insert(flag.key) }
                    continue
                }
                guard attached == nil else { throw UsageError("'\(spelling)' takes no value") }
                parsed.flags.insert(option.key)
                continue
            }
            let value: String
            if let attached {
                value = attached
            } else {
                guard index < arguments.count else { throw UsageError("missing value for '\(spelling)'") }
                value = arguments[index]
                index += 1
            }
            if !option.repeatable, parsed.values[option.key] != nil {
                throw UsageError("'\(spelling)' given more than once")
            }
            parsed.values[option.key, default: []].append(value)
        }
        return parsed
    }
}

/// What a command line said: option values by the option's long name, flags, positional words.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var helpAsked = false

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func string(_ name: String) -> String? { values[name]?.last }

    func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// The option's value as an integer (nil when not given); a value that is not one is a usage error.
    func int(_ name: String) throws(UsageError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw UsageError("\(name) wants an integer, not '\(text)'") }
        return value
    }

    /// The option's value as a number of seconds or bytes (nil when not given).
    func double(_ name: String) throws(UsageError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text) else { throw UsageError("\(name) wants a number, not '\(text)'") }
        return value
    }
}

/// A command line that cannot be run as given: printed with the usage, status 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// How the process ends: the status `exit` gets.
enum ExitStatus {
    static let success: Int32 = 0
    /// The server could not start (the address is taken, ...).
    static let failure: Int32 = 1
    /// A bad configuration or password file.
    static let badConfiguration: Int32 = 2
    /// `EX_USAGE`: a bad command line.
    static let usage: Int32 = 64
}
