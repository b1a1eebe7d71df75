internal import Glibc

/// A regular expression from glances.conf (a `[monitor]` `list_N_regex`, a `hide=` pattern), matched by
/// the C library's POSIX engine: `regcomp` with `REG_EXTENDED | REG_NOSUB`, then `regexec`.
///
/// Glances' patterns are written for Python's `re`. The part of that syntax they use is POSIX extended
/// syntax with GNU's `\w \W \s \S \b`, and ``translate(_:)`` maps the rest that has a POSIX meaning
/// (`\d`, `\D`, `\t`, `\n`, lazy quantifiers, `(?:`); anything else (look-arounds, back-references,
/// inline flags) does not compile, and the configuration loader reports it.
///
/// glibc's matcher is not a backtracking one: `.*name.*` over a 20 KB command line takes tens of
/// microseconds, where Python's `re` and Swift's `Regex` take time quadratic in the length, which would
/// let any local user stall sampling with a long command line.
package final class ConfigRegex: @unchecked Sendable {
    // `@unchecked Sendable`: the compiled pattern is only read after init; regexec is thread-safe.
    private let compiled: UnsafeMutablePointer<regex_t>
    /// The pattern as written in the configuration.
    package let pattern: String

    /// Compiles `pattern`; nil when it does not compile. `whole`: it must match all of a text (as
    /// `hide=` patterns do), else anywhere in it (as Python's `re.search`, what `[monitor]` uses).
    package init?(_ pattern: String, whole: Bool = false) {
        guard let translated = Self.translate(pattern) else { return nil }
        let source = whole ? "^(" + translated + ")$" : translated
        let compiled = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
        guard regcomp(compiled, source, REG_EXTENDED | REG_NOSUB) == 0 else {
            compiled.deallocate()
            return nil
        }
        self.compiled = compiled
        self.pattern = pattern
    }

    deinit {
        regfree(compiled)
        compiled.deallocate()
    }

    /// Whether the pattern matches `text` (all of it for a `whole` pattern). The text ends at its first NUL.
    package func matches(_ text: String) -> Bool {
        regexec(compiled, text, 0, nil, 0) == 0
    }

    /// `pattern` in POSIX extended syntax, or nil when it uses Python syntax with no POSIX equivalent.
    package static func translate(_ pattern: String) -> String? {
        var out = ""
        var inBracket = false
        var bracketStart = false
        var previousWasQuantifier = false
        var characters = pattern.makeIterator()
        while let character = characters.next() {
            if inBracket {
                if character == "\\" {
                    guard let escaped = characters.next() else { return nil }
                    switch escaped {
                    case "d": out += "0-9"
                    case "t": out += "\t"
                    case "n": out += "\n"
                    case "s": out += "[:space:]"
                    case "w": out += "[:alnum:]_"
                    case "\\": out += "\\"
                    case "]" where bracketStart: out += "]"  // elsewhere POSIX has no way to write it
                    case "^", "-", "[", ".", "*", "+", "?", "(", ")", "{", "}", "|", "$", "/": out.append(escaped)
                    default: return nil
                    }
                } else if character == "]" && !bracketStart {
                    inBracket = false
                    out.append(character)
                } else {
                    out.append(character)
                }
                bracketStart = bracketStart && character == "^"
                continue
            }
            let isQuantifier: Bool
            switch character {
            case "\\":
                guard let escaped = characters.next() else { return nil }
                switch escaped {
                case "d": out += "[0-9]"
                case "D": out += "[^0-9]"
                case "t": out += "\t"
                case "n": out += "\n"
                case "w", "W", "s", "S", "b", "B": out += "\\" + String(escaped)
                case _ where escaped.isLetter || escaped.isNumber: return nil  // \A, \Z, \1…: no POSIX meaning
                default: out += "\\" + String(escaped)
                }
                isQuantifier = false
            case "[":
                out.append(character)
                inBracket = true
                bracketStart = true
                isQuantifier = false
            case "(":
                out.append(character)
                var lookahead = characters
                if lookahead.next() == "?" {
                    // Only the non-capturing group has a POSIX form (a plain group).
                    guard lookahead.next() == ":" else { return nil }
                    characters = lookahead
                }
                isQuantifier = false
            case "?" where previousWasQuantifier:
                // A lazy quantifier: laziness changes which match is found, never whether one is.
                isQuantifier = false
            case "*", "+", "?", "}":
                out.append(character)
                isQuantifier = true
            default:
                out.append(character)
                isQuantifier = false
            }
            previousWasQuantifier = isQuantifier
        }
        return inBracket ? nil : out
    }
}
