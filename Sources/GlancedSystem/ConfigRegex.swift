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
///
/// glibc's compiler, though, copies a repeated part once per repetition: `b{1,30000}` takes seconds and
/// gigabytes, stacked quantifiers (`b+++…`) double the copies each. Python refuses stacked quantifiers
/// ("multiple repeat"), and so does ``translate(_:)``; patterns whose repetitions would expand to more
/// than ``maxExpansion`` copies of their atoms are refused too (``expansion(of:)``).
package final class ConfigRegex: @unchecked Sendable {
    // `@unchecked Sendable`: the compiled pattern is only read after init; regexec is thread-safe.
    private let compiled: UnsafeMutablePointer<regex_t>
    /// The pattern as written in the configuration.
    package let pattern: String

    /// Compiles `pattern`; nil when it does not compile. `whole`: it must match all of a text (as
    /// `hide=` patterns do), else anywhere in it (as Python's `re.search`, what `[monitor]` uses).
    package init?(_ pattern: String, whole: Bool = false) {
        guard let translated = Self.translate(pattern), Self.expansion(of: translated) != nil else { return nil }
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
            case "*" where previousWasQuantifier, "+" where previousWasQuantifier, "{" where previousWasQuantifier:
                return nil  // a quantifier of a quantifier: Python's "multiple repeat" (or a possessive one)
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

    /// The most copies of its atoms a pattern may expand to when compiled (``expansion(of:)``).
    package static let maxExpansion = 1_000

    /// How many atoms `posix` (POSIX extended syntax) expands to once its repetitions are copied out, as
    /// glibc's compiler does: `b{1,100}` is 100, `(b{1,10}){1,10}` 100, `b*` 2. Nil past ``maxExpansion``.
    package static func expansion(of posix: String) -> Int? {
        let bytes = Array(posix.utf8)
        // Per open group: the atoms so far, and the size of the last atom (what a quantifier repeats).
        var groups: [(total: Int, last: Int)] = [(0, 0)]
        var index = 0
        func atom(_ size: Int) {
            groups[groups.count - 1].total += size
            groups[groups.count - 1].last = size
        }
        func repeatLast(_ times: Int) {
            let last = groups[groups.count - 1].last
            groups[groups.count - 1].total += last * (times - 1)
            groups[groups.count - 1].last = last * times
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                index += 2
                atom(1)
            case UInt8(ascii: "["):
                // To the closing bracket: a `]` right after `[` or `[^` is literal, `[:name:]` is one item.
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
                while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                    if bytes[index] == UInt8(ascii: "["), index + 1 < bytes.count,
                        [UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "=")].contains(bytes[index + 1])
                    {
                        let close = bytes[index + 1]
                        index += 2
                        while index + 1 < bytes.count, !(bytes[index] == close && bytes[index + 1] == UInt8(ascii: "]"))
                        {
                            index += 1
                        }
                        index += 2
                    } else {
                        index += 1
                    }
                }
                index += 1
                atom(1)
            case UInt8(ascii: "("):
                groups.append((0, 0))
                index += 1
            case UInt8(ascii: ")"):
                if groups.count > 1 {
                    let group = groups.removeLast()
                    atom(max(group.total, 1))
                }
                index += 1
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                repeatLast(2)
                index += 1
            case UInt8(ascii: "{"):
                // {m} is copied m times, {m,n} n times, {m,} m + 1 times.
                index += 1
                var numbers: [Int?] = [nil]
                while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                    if bytes[index] == UInt8(ascii: ",") {
                        numbers.append(nil)
                    } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                        let digit = Int(bytes[index] - UInt8(ascii: "0"))
                        numbers[numbers.count - 1] = min(
                            (numbers[numbers.count - 1] ?? 0) * 10 + digit, maxExpansion + 1)
                    }
                    index += 1
                }
                index += 1
                let lower = numbers[0] ?? 0
                let times = numbers.count == 1 ? lower : (numbers[1] ?? lower + 1)
                repeatLast(max(times, 1))
            default:
                atom(1)
                index += 1
            }
            // Sizes are capped at the limit, so that nothing overflows on the way.
            for level in groups.indices {
                groups[level].total = min(groups[level].total, maxExpansion + 1)
                groups[level].last = min(groups[level].last, maxExpansion + 1)
            }
            if groups.contains(where: { $0.total > maxExpansion }) { return nil }
        }
        return groups.reduce(0) { $0 + $1.total }
    }
}
