import GlancedSystem

/// A bad value of an option a plugin reads: the line it is on and what is wrong. The configuration loader adds
/// the file name.
package struct ConfigProblem: Error, Sendable, Equatable {
    /// The line of the file, 1-based; 0 for a built-in default.
    package var line: Int
    /// What is wrong, naming the section and the key.
    package var message: String

    /// Creates a problem report.
    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// The checks plugins run on the options they read.
package enum OptionCheck {
    /// Every option of `keys` present in `section` must read as a number.
    package static func numbers(in section: ConfigSection, keys: [String], section name: String) throws(ConfigProblem) {
        for key in keys {
            guard let entry = section.entry(key) else { continue }
            guard Double(entry.value) != nil else {
                throw ConfigProblem(
                    line: entry.line, message: "[\(name)] \(key): threshold '\(entry.value)' is not a number")
            }
        }
    }

    /// Option `key` of `section`, when present, must be a comma-separated list of patterns that compile.
    package static func patternList(in section: ConfigSection, key: String, section name: String) throws(ConfigProblem)
    {
        guard let entry = section.entry(key) else { return }
        for pattern in HideList.patterns(of: entry.value) {
            try Self.pattern(pattern, entry: entry, section: name)
        }
    }

    /// `pattern`, the value (or one part) of `entry`, must compile.
    package static func pattern(_ pattern: String, entry: ConfigSection.Entry, section name: String)
        throws(ConfigProblem)
    {
        guard ConfigRegex(pattern) == nil else { return }
        throw ConfigProblem(
            line: entry.line,
            message: "[\(name)] \(entry.key): regular expression '\(pattern)' does not compile"
                + " (POSIX extended syntax, plus \\d, (?:...) and lazy quantifiers; no look-arounds,"
                + " back-references or stacked quantifiers; repetitions up to \(ConfigRegex.maxExpansion) copies)"
        )
    }

    /// The careful/warning/critical triples of Glances' shipped defaults: `prefix_careful`, … for each
    /// prefix (`careful`, … for the empty prefix).
    package static func levels(_ prefixes: [String], _ careful: String, _ warning: String, _ critical: String)
        -> [ConfigSection.Entry]
    {
        var entries: [ConfigSection.Entry] = []
        for prefix in prefixes {
            let head = prefix.isEmpty ? "" : prefix + "_"
            entries.append(.init(key: head + "careful", value: careful))
            entries.append(.init(key: head + "warning", value: warning))
            entries.append(.init(key: head + "critical", value: critical))
        }
        return entries
    }
}
