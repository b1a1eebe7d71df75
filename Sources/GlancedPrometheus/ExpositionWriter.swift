/// Writes Prometheus' text exposition format 0.0.4 into a byte buffer: `# HELP` and `# TYPE` lines, then samples
/// `name{label="value",…} value`, one family after another.
///
/// Whatever it is given, the output parses: label values are escaped (`\\`, `\"`, `\n`) and are valid UTF-8
/// (Swift strings always are; raw bytes go through ``repairedUTF8(_:)``), names outside
/// `[a-zA-Z_:][a-zA-Z0-9_:]*` (metric) or `[a-zA-Z_][a-zA-Z0-9_]*` (label) are repaired (`_` for each bad byte),
/// non-finite values are written `+Inf`, `-Inf`, `NaN`, and a family already written is never started again:
/// its later samples are dropped.
package struct ExpositionWriter {
    /// A family's type, as `# TYPE` names it.
    package enum MetricType: String, Sendable {
        case counter, gauge, untyped, histogram, summary
    }

    /// The text written so far.
    package private(set) var bytes: [UInt8]
    private var families: Set<String> = []
    private var open = false

    /// Creates an empty writer that reserves `capacity` bytes.
    package init(capacity: Int = 64 * 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Whether family `name` was started.
    package func hasFamily(_ name: String) -> Bool {
        families.contains(name)
    }

    /// Starts family `name`: its `# HELP` and `# TYPE` lines. The samples that follow, up to the next family,
    /// belong to it.
    ///
    /// - Returns: false when a family of that name was already written: the samples that follow are dropped.
    @discardableResult
    package mutating func family(_ name: String, _ type: MetricType, help: String) -> Bool {
        let name = Self.metricName(name)
        guard families.insert(name).inserted else {
            open = false
            return false
        }
        open = true
        append("# HELP ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            default: bytes.append(byte)
            }
        }
        append("\n# TYPE ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(type.rawValue)
        bytes.append(UInt8(ascii: "\n"))
        return true
    }

    /// Writes one sample of the current family.
    package mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: Double) {
        guard head(name, labels) else { return }
        Self.appendValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes one sample with an exact integer value.
    package mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: UInt64) {
        guard head(name, labels) else { return }
        append(String(value))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes one sample with an exact integer value.
    package mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: Int) {
        guard head(name, labels) else { return }
        append(String(value))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes one sample without labels.
    package mutating func sample(_ name: String, _ value: Double) {
        sample(name, [:], value)
    }

    /// Writes one sample without labels, with an exact integer value.
    package mutating func sample(_ name: String, _ value: UInt64) {
        sample(name, [:], value)
    }

    /// Writes one sample without labels, with an exact integer value.
    package mutating func sample(_ name: String, _ value: Int) {
        sample(name, [:], value)
    }

    /// Writes one sample whose labels are built at run time.
    package mutating func sample(_ name: String, labels: [(String, String)], _ value: Double) {
        guard open else { return }
        append(Self.metricName(name))
        writeLabels(labels)
        Self.appendValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends lines that were checked elsewhere (a textfile's samples), each ending in a newline.
    package mutating func raw(_ text: [UInt8]) {
        guard open else { return }
        bytes.append(contentsOf: text)
    }

    private mutating func head(_ name: String, _ labels: KeyValuePairs<String, String>) -> Bool {
        guard open else { return false }
        append(Self.metricName(name))
        writeLabels(labels.map { ($0.key, $0.value) })
        return true
    }

    private mutating func writeLabels(_ labels: [(String, String)]) {
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (index, label) in labels.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(Self.labelName(label.0))
                append("=\"")
                Self.appendEscaped(label.1, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    // MARK: Pieces, also used alone

    /// Appends `value` escaped for a label value: `\` → `\\`, `"` → `\"`, newline → `\n`.
    package static func appendEscaped(_ value: String, to bytes: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: bytes.append(byte)
            }
        }
    }

    /// `bytes` as text, each invalid UTF-8 sequence replaced by U+FFFD.
    package static func repairedUTF8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as Go's `ParseFloat` reads it: integers up to 2^53 in plain digits, other finite values
    /// in the shortest form that reads back exactly, `+Inf`, `-Inf`, `NaN`.
    package static func appendValue(_ value: Double, to bytes: inout [UInt8]) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            if value == 0 {
                bytes.append(UInt8(ascii: "0"))  // also -0.0
            } else {
                bytes.append(contentsOf: String(Int64(value)).utf8)
            }
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// Whether `byte` may stand at position `first` of a metric name (`colon`) or a label name.
    private static func isNameByte(_ byte: UInt8, first: Bool, colon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        case UInt8(ascii: ":"): colon
        default: false
        }
    }

    /// Whether `name` is a valid metric name.
    package static func isValidMetricName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.enumerated().allSatisfy { isNameByte($1, first: $0 == 0, colon: true) }
    }

    /// Whether `name` is a valid label name (and not reserved: no `__` prefix).
    package static func isValidLabelName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("__")
            && name.utf8.enumerated().allSatisfy { isNameByte($1, first: $0 == 0, colon: false) }
    }

    /// `name` with each byte a metric name may not have replaced by `_`; `_` when empty.
    package static func metricName(_ name: String) -> String {
        if isValidMetricName(name) { return name }
        return repair(name, colon: true)
    }

    /// `name` with each byte a label name may not have replaced by `_`, a leading `__` made `_x`; `_` when empty.
    package static func labelName(_ name: String) -> String {
        if isValidLabelName(name) { return name }
        var repaired = repair(name, colon: false)
        if repaired.hasPrefix("__") { repaired = "_x" + repaired.dropFirst(2) }
        return repaired
    }

    private static func repair(_ name: String, colon: Bool) -> String {
        guard !name.isEmpty else { return "_" }
        let bytes = name.utf8.enumerated().map { index, byte in
            isNameByte(byte, first: index == 0, colon: colon) ? byte : UInt8(ascii: "_")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
