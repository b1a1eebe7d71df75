package import GlancedStats

/// node_exporter's textfile collector: the `*.prom` files of a directory, checked line by line and merged into
/// the exposition, with `node_textfile_mtime_seconds{file}` and `node_textfile_scrape_error`.
///
/// A file with a line that does not parse, a client-side timestamp, or a family glanced writes itself is left
/// out whole and sets `node_textfile_scrape_error` to 1: a broken file never breaks the scrape.
package enum Textfiles {
    /// One family of the files: its type, help and sample lines.
    package struct Family: Equatable {
        package var name: String
        package var type: ExpositionWriter.MetricType
        package var help: String?
        package var lines: [UInt8] = []
    }

    /// Writes the families of `files` not already in `out`, then the collector's own metrics.
    ///
    /// - Returns: whether every file was merged.
    @discardableResult
    package static func write(
        _ files: [PrometheusPlugin.Textfile], directoryError: Bool, directory: String, into out: inout ExpositionWriter
    ) -> Bool {
        var error = directoryError
        var order: [String] = []
        var merged: [String: Family] = [:]
        var mtimes: [(String, Double)] = []
        for file in files {
            guard let content = file.content, let families = parse(content),
                !families.contains(where: { out.hasFamily($0.name) })
            else {
                error = true
                continue
            }
            for family in families {
                if var existing = merged[family.name] {
                    guard existing.type == family.type else {
                        error = true
                        continue
                    }
                    existing.lines += family.lines
                    if existing.help == nil { existing.help = family.help }
                    merged[family.name] = existing
                } else {
                    order.append(family.name)
                    merged[family.name] = family
                }
            }
            mtimes.append((file.name, file.modified))
        }
        for name in order {
            guard let family = merged[name] else { continue }
            if out.family(name, family.type, help: family.help ?? "Metric read from " + directory) {
                out.raw(family.lines)
            }
        }
        out.family("node_textfile_mtime_seconds", .gauge, help: "Unixtime mtime of textfiles successfully read.")
        for (file, modified) in mtimes {
            out.sample("node_textfile_mtime_seconds", ["file": directory + "/" + file], modified)
        }
        out.family(
            "node_textfile_scrape_error", .gauge, help: "1 if there was an error opening or reading a file, 0 otherwise"
        )
        out.sample("node_textfile_scrape_error", error ? 1 : 0)
        return !error
    }

    /// The families of one file in the text format 0.0.4, or nil when a line does not parse, a sample has a
    /// timestamp, or a family's samples are not together.
    package static func parse(_ content: [UInt8]) -> [Family]? {
        guard String(validating: content, as: UTF8.self) != nil else { return nil }
        var families: [Family] = []
        var help: [String: String] = [:]
        var types: [String: ExpositionWriter.MetricType] = [:]
        var closed = Set<String>()
        for line in content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            if line.first == UInt8(ascii: "#") {
                let words = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: true)
                guard words.count >= 3, words[0].elementsEqual("#".utf8) else { continue }
                let name = String(decoding: words[2], as: UTF8.self)
                if words[1].elementsEqual("HELP".utf8) {
                    guard ExpositionWriter.isValidMetricName(name), help[name] == nil else { return nil }
                    help[name] = words.count > 3 ? unescapeHelp(String(decoding: words[3], as: UTF8.self)) : ""
                } else if words[1].elementsEqual("TYPE".utf8) {
                    guard ExpositionWriter.isValidMetricName(name), types[name] == nil, words.count == 4,
                        let type = ExpositionWriter.MetricType(rawValue: String(decoding: words[3], as: UTF8.self)),
                        !families.contains(where: { $0.name == name })
                    else { return nil }
                    types[name] = type
                }
                continue
            }
            guard let name = sampleName(Array(line)) else { return nil }
            var family = name
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if types[base] == .histogram || (types[base] == .summary && suffix != "_bucket") { family = base }
            }
            if let last = families.last, last.name == family {
                families[families.count - 1].lines += line + [UInt8(ascii: "\n")]
            } else {
                guard closed.insert(family).inserted else { return nil }
                families.append(Family(name: family, type: types[family] ?? .untyped, help: nil, lines: line + [10]))
            }
        }
        for index in families.indices { families[index].help = help[families[index].name] }
        return families
    }

    private static func unescapeHelp(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The metric name of a sample line `name{l="v",…} value`, or nil when the line is not exactly that.
    static func sampleName(_ line: [UInt8]) -> String? {
        var at = 0
        func isName(_ byte: UInt8, first: Bool, colon: Bool) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
                || (!first && byte >= 0x30 && byte <= 0x39) || (colon && byte == 0x3A)
        }
        while at < line.count, isName(line[at], first: at == 0, colon: true) { at += 1 }
        guard at > 0 else { return nil }
        let name = String(decoding: line[0..<at], as: UTF8.self)
        if at < line.count, line[at] == UInt8(ascii: "{") {
            at += 1
            var labels = Set<String>()
            while true {
                while at < line.count, line[at] == UInt8(ascii: " ") { at += 1 }
                guard at < line.count else { return nil }
                if line[at] == UInt8(ascii: "}") {
                    at += 1
                    break
                }
                let start = at
                while at < line.count, isName(line[at], first: at == start, colon: false) { at += 1 }
                guard at > start, labels.insert(String(decoding: line[start..<at], as: UTF8.self)).inserted else {
                    return nil
                }
                while at < line.count, line[at] == UInt8(ascii: " ") { at += 1 }
                guard at + 1 < line.count, line[at] == UInt8(ascii: "="), line[at + 1] == UInt8(ascii: "\"") else {
                    return nil
                }
                at += 2
                var closedQuote = false
                while at < line.count {
                    let byte = line[at]
                    if byte == UInt8(ascii: "\\") {
                        guard at + 1 < line.count,
                            [UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "n")].contains(line[at + 1])
                        else { return nil }
                        at += 2
                    } else if byte == UInt8(ascii: "\"") {
                        at += 1
                        closedQuote = true
                        break
                    } else {
                        at += 1
                    }
                }
                guard closedQuote else { return nil }
                while at < line.count, line[at] == UInt8(ascii: " ") { at += 1 }
                if at < line.count, line[at] == UInt8(ascii: ",") { at += 1 }
            }
        }
        let rest = line[at...].split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        // Exactly one value: a timestamp is refused, as node_exporter refuses it.
        guard rest.count == 1, line.count > at, line[at] == UInt8(ascii: " ") || line[at] == UInt8(ascii: "\t"),
            isFloat(String(decoding: rest[0], as: UTF8.self))
        else { return nil }
        return name
    }

    /// Whether Go's `ParseFloat` reads `text` (decimal forms, `Inf`, `NaN`).
    static func isFloat(_ text: String) -> Bool {
        let lower = text.lowercased()
        if ["+inf", "-inf", "inf", "nan", "+infinity", "-infinity", "infinity"].contains(lower) { return true }
        guard lower.allSatisfy({ "0123456789+-.e".contains($0) }), let value = Double(lower) else { return false }
        return value.isFinite
    }
}
