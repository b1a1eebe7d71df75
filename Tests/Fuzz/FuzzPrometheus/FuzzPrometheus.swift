import FuzzSupport
import GlancedPrometheus
import GlancedStats
import GlancedSystem

#if canImport(Glibc)
    import Glibc
#endif

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`): Prometheus' text exposition as glanced writes it.
///
/// The first byte picks what the rest drives:
/// - `ExpositionWriter` itself: families with any name and help, samples with any label names and values
///   (invalid UTF-8 repaired, quotes, backslashes, newlines) and any value (NaN, ±Inf, huge, negative counters);
/// - `Textfiles.parse` over the rest as the content of a `*.prom` file, its families written back as the
///   textfile collector merges them;
/// - `PrometheusText.render` (`/metrics`) of a sample of typed stats built from the input (`FuzzStats`, plugins
///   left out at random), textfile contents included.
///
/// Besides not crashing, the output must pass `Exposition.check`: valid UTF-8, every line a `# HELP` / `# TYPE`
/// pair or a sample `name{label="value",…} value` with names of the allowed bytes, label values escaped, no label
/// twice, values Go's `ParseFloat` reads; each family once, its samples right after its `# TYPE`. What the writer
/// was asked to write reads back: the label values and values, sample for sample.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrometheus(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    guard let mode = bytes.first else { return 0 }
    switch mode % 4 {
    case 0:
        WriterCase.run(FuzzInput(Array(bytes.dropFirst())))
    case 1:
        let content = Array(bytes.dropFirst())
        guard let families = Textfiles.parse(content) else { return 0 }
        var out = ExpositionWriter()
        for family in families where out.family(family.name, family.type, help: family.help ?? "") {
            out.raw(family.lines)
        }
        _ = Exposition.check(out.bytes)
    default:
        var input = FuzzInput(Array(bytes.dropFirst()))
        let sample = FuzzStats.sample(&input, dropping: true)
        let version = input.string()
        let text = PrometheusText.render(sample, options: .init(version: version))
        _ = Exposition.check(text)
        let textfiles = sample.stats(of: PrometheusPlugin.self)?.textfileDirectory != nil
        // glanced's own families come last: a textfile may not take their place.
        for (name, help) in [
            ("node_scrape_collector_success", "node_exporter: Whether a collector succeeded."),
            ("glanced_build_info", "A metric with a constant '1' value labeled by glanced's version."),
        ]
            + (textfiles
                ? [("node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise")]
                : [])
        {
            precondition(
                Exposition.occurs(Array("\n# HELP \(name) \(help)\n".utf8), in: text), "glanced's \(name) is missing")
        }
    }
    return 0
}

/// The writer driven directly: what it was asked to write must read back.
enum WriterCase {
    static let types: [ExpositionWriter.MetricType] = [.counter, .gauge, .untyped, .histogram, .summary]

    static func run(_ input: FuzzInput) {
        var input = input
        var out = ExpositionWriter()
        var expected: [(labels: [(String, String)], value: Double)] = []
        var open = false
        var family = ""
        var type = ExpositionWriter.MetricType.untyped
        for _ in 0..<input.count(24) {
            if input.byte() % 4 == 0 || family.isEmpty {
                family = input.bool() ? "node_" + input.string() : input.string()
                type = types[input.count(types.count - 1)]
                open = out.family(family, type, help: input.string())
                continue
            }
            // A sample of the current family: its name, or a histogram's or summary's series.
            var name = family
            if type == .histogram || type == .summary {
                name += ["", "_sum", "_count", "_bucket"][input.count(type == .histogram ? 3 : 2)]
            }
            var labels: [(String, String)] = []
            var seen = Set<String>()
            for _ in 0..<input.count(4) {
                let label =
                    input.bool() ? ["le", "quantile", "device", "cpu", "a-b", "a_b"][input.count(5)] : input.string()
                // Callers pass distinct label names (constants, or a textfile's checked ones).
                guard seen.insert(ExpositionWriter.labelName(label)).inserted else { continue }
                labels.append((label, input.string()))
            }
            let value: Double
            switch input.byte() % 3 {
            case 0:
                let counter = input.uint64()
                value = Double(counter)
                if labels.isEmpty { out.sample(name, counter) } else { out.sample(name, labels: labels, value) }
            case 1:
                let number = input.int()
                value = Double(number)
                if labels.isEmpty { out.sample(name, number) } else { out.sample(name, labels: labels, value) }
            default:
                value = input.double()
                out.sample(name, labels: labels, value)
            }
            if open { expected.append((labels, value)) }
        }
        let samples = Exposition.check(out.bytes)
        precondition(samples.count == expected.count, "\(samples.count) samples written for \(expected.count)")
        for (sample, wanted) in zip(samples, expected) {
            precondition(sample.labels.count == wanted.labels.count, "labels lost")
            for (label, asked) in zip(sample.labels, wanted.labels) {
                precondition(label.name == ExpositionWriter.labelName(asked.0), "label name \(label.name)")
                precondition(
                    label.value.unicodeScalars.elementsEqual(asked.1.unicodeScalars),
                    "label value \(asked.1.debugDescription) read back as \(label.value.debugDescription)")
            }
            let read = Exposition.parseValue(sample.value)
            precondition(
                read == wanted.value || (read?.isNaN ?? false) && wanted.value.isNaN,
                "value \(wanted.value) written as \(sample.value)")
        }
    }
}

/// A checker of the text format 0.0.4, as Prometheus' parser reads it (stricter where glanced promises more).
enum Exposition {
    struct Sample {
        var name: String
        var labels: [(name: String, value: String)]
        var value: String
    }

    /// Whether `needle` occurs in `text`: a plain byte search (the generic `firstRange(of:)` took most of each
    /// execution, far more than the rendering it checks).
    static func occurs(_ needle: [UInt8], in text: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        return text.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { needle in
                guard let base = text.baseAddress, text.count >= needle.count else { return false }
                let last = text.count - needle.count  // the last offset where `needle` fits
                var at = 0
                while at <= last, let found = memchr(base + at, Int32(first), last - at + 1) {
                    at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return true }
                    at += 1
                }
                return false
            }
        }
    }

    /// Checks `text`; returns its samples.
    @discardableResult
    static func check(_ text: [UInt8]) -> [Sample] {
        precondition(String(validating: text, as: UTF8.self) != nil, "not UTF-8")
        precondition(text.isEmpty || text.last == UInt8(ascii: "\n"), "no newline at the end")
        var samples: [Sample] = []
        var families = Set<String>()
        var helped: String?
        var family: (name: String, type: String)?
        for raw in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            let line = Array(raw)
            var show: String { String(decoding: line, as: UTF8.self).debugDescription }
            if line.first == UInt8(ascii: "#") {
                let words = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }
                precondition(words.count >= 3 && words[0] == "#", "a comment that is not HELP or TYPE: \(show)")
                switch words[1] {
                case "HELP":
                    // The name checked here once: TYPE must name the family its HELP just named.
                    precondition(ExpositionWriter.isValidMetricName(words[2]), "a bad family name: \(show)")
                    precondition(helped == nil, "two HELP lines: \(show)")
                    let help = words.count > 3 ? Array(words[3].utf8) : []
                    var index = 0
                    while index < help.count {
                        if help[index] == UInt8(ascii: "\\") {
                            precondition(
                                index + 1 < help.count
                                    && [UInt8(ascii: "\\"), UInt8(ascii: "n")].contains(help[index + 1]),
                                "a bad escape in HELP: \(show)")
                            index += 1
                        }
                        index += 1
                    }
                    helped = words[2]
                case "TYPE":
                    precondition(helped == words[2], "TYPE without its HELP: \(show)")
                    precondition(words.count == 4, "TYPE without a type: \(show)")
                    precondition(ExpositionWriter.MetricType(rawValue: words[3]) != nil, "a bad type: \(show)")
                    precondition(families.insert(words[2]).inserted, "family \(words[2]) twice")
                    family = (words[2], words[3])
                    helped = nil
                default:
                    preconditionFailure("a comment that is not HELP or TYPE: \(show)")
                }
                continue
            }
            precondition(helped == nil, "HELP without TYPE before \(show)")
            guard let sample = parseSample(line) else { preconditionFailure("not a sample line: \(show)") }
            guard let family else { preconditionFailure("a sample before any family: \(show)") }
            var series = [family.name]
            if family.type == "histogram" { series += ["_bucket", "_sum", "_count"].map { family.name + $0 } }
            if family.type == "summary" { series += ["_sum", "_count"].map { family.name + $0 } }
            precondition(series.contains(sample.name), "\(sample.name) under family \(family.name): \(show)")
            samples.append(sample)
        }
        precondition(helped == nil, "HELP without TYPE at the end")
        return samples
    }

    /// `name{label="value",…} value`, spaces allowed around the labels as Prometheus' lexer allows them.
    static func parseSample(_ line: [UInt8]) -> Sample? {
        var at = 0
        func isName(_ byte: UInt8, first: Bool, colon: Bool) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
                || (!first && byte >= 0x30 && byte <= 0x39) || (colon && byte == 0x3A)
        }
        func blanks() { while at < line.count, line[at] == 0x20 || line[at] == 0x09 { at += 1 } }
        while at < line.count, isName(line[at], first: at == 0, colon: true) { at += 1 }
        guard at > 0 else { return nil }
        var sample = Sample(name: String(decoding: line[..<at], as: UTF8.self), labels: [], value: "")
        if at < line.count, line[at] == UInt8(ascii: "{") {
            at += 1
            while true {
                blanks()
                guard at < line.count else { return nil }
                if line[at] == UInt8(ascii: "}") {
                    at += 1
                    break
                }
                let start = at
                while at < line.count, isName(line[at], first: at == start, colon: false) { at += 1 }
                guard at > start else { return nil }
                let name = String(decoding: line[start..<at], as: UTF8.self)
                guard !sample.labels.contains(where: { $0.name == name }) else { return nil }
                blanks()
                guard at + 1 < line.count, line[at] == UInt8(ascii: "="), line[at + 1] == UInt8(ascii: "\"") else {
                    return nil
                }
                at += 2
                var value: [UInt8] = []
                var closed = false
                while at < line.count {
                    let byte = line[at]
                    if byte == UInt8(ascii: "\\") {
                        guard at + 1 < line.count else { return nil }
                        switch line[at + 1] {
                        case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                        case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                        case UInt8(ascii: "n"): value.append(0x0A)
                        default: return nil
                        }
                        at += 2
                    } else if byte == UInt8(ascii: "\"") {
                        at += 1
                        closed = true
                        break
                    } else {
                        value.append(byte)
                        at += 1
                    }
                }
                guard closed else { return nil }
                sample.labels.append((name, String(decoding: value, as: UTF8.self)))
                blanks()
                if at < line.count, line[at] == UInt8(ascii: ",") { at += 1 }
            }
        }
        guard at < line.count, line[at] == 0x20 || line[at] == 0x09 else { return nil }
        blanks()
        let start = at
        while at < line.count, line[at] != 0x20, line[at] != 0x09 { at += 1 }
        sample.value = String(decoding: line[start..<at], as: UTF8.self)
        blanks()
        guard at == line.count, parseValue(sample.value) != nil else { return nil }
        return sample
    }

    /// The value as Go's `ParseFloat` reads a sample value: decimal forms, `Inf` / `Infinity` and `NaN` in any case
    /// with an optional sign (before Inf); nil for anything else.
    static func parseValue(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default:
            let decimal = { (byte: UInt8) in
                (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2D || byte == 0x2E || byte == 0x65
                    || byte == 0x45
            }
            guard !text.isEmpty, text.utf8.allSatisfy(decimal),
                let value = Double(text)
            else { return nil }
            return value
        }
    }
}
