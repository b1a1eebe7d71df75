/// Glances' views of a plugin (what `getPluginView` and the REST `…/views` routes answer): for each field of the
/// plugin's 4.x JSON, `{"decoration", "optional", "additional", "splittable", "hidden"}`; list plugins are keyed by
/// each entry's `key` field. Decorations come from the plugin's thresholds (``PluginStats/decoration(of:item:limits:)``),
/// `DEFAULT` where none applies. A pure function of a ``Sample`` and the limits.
package enum GlancesViews {
    /// The views of the plugin at `position`, with `limits` its configuration section (defaults included).
    package static func plugin(_ sample: Sample, at position: Int, limits: ConfigSection) -> [UInt8] {
        let stats = sample.stats[position]
        let rendered = GlancesJSON.plugin(sample, at: position, generation: .v4)
        var writer = JSONWriter()
        var scanner = JSONScanner(rendered)
        if let members = scanner.members(of: 0..<rendered.count) {
            writer.object { json in
                for (field, _) in members {
                    json.key(field)
                    writeView(stats.decoration(of: field, item: nil, limits: limits), into: &json)
                }
            }
        } else if let entries = scanner.elements(of: 0..<rendered.count) {
            writer.object { json in
                for entry in entries {
                    guard let members = scanner.members(of: entry),
                        let keyField = members.first(where: { $0.key == "key" }).flatMap({ scanner.string($0.value) }),
                        let item = members.first(where: { $0.key == keyField }).map({ scanner.text($0.value) })
                    else { continue }
                    json.key(item)
                    json.object { json in
                        for (field, _) in members {
                            json.key(field)
                            writeView(stats.decoration(of: field, item: item, limits: limits), into: &json)
                        }
                    }
                }
            }
        } else {
            writer.object { _ in }
        }
        return writer.bytes
    }

    private static func writeView(_ decoration: String?, into json: inout JSONWriter) {
        json.object { json in
            json.field("decoration", decoration ?? "DEFAULT")
            json.key("optional")
            json.value(false)
            json.key("additional")
            json.value(false)
            json.key("splittable")
            json.value(false)
            json.key("hidden")
            json.value(false)
        }
    }
}

/// Reads back the structure of JSON that ``JSONWriter`` wrote: object members and array elements as byte ranges,
/// strings decoded. Not a validating parser: it trusts its input.
struct JSONScanner {
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The members of the object spanning `range`; nil when it is not an object.
    mutating func members(of range: Range<Int>) -> [(key: String, value: Range<Int>)]? {
        var at = skipSpaces(range.lowerBound)
        guard at < range.upperBound, bytes[at] == UInt8(ascii: "{") else { return nil }
        var members: [(key: String, value: Range<Int>)] = []
        at = skipSpaces(at + 1)
        while at < range.upperBound, bytes[at] != UInt8(ascii: "}") {
            let keyEnd = skipValue(at)
            let key = string(at..<keyEnd) ?? ""
            at = skipSpaces(keyEnd)
            at = skipSpaces(at + 1)  // ':'
            let valueEnd = skipValue(at)
            members.append((key, at..<valueEnd))
            at = skipSpaces(valueEnd)
            if at < range.upperBound, bytes[at] == UInt8(ascii: ",") { at = skipSpaces(at + 1) }
        }
        return members
    }

    /// The elements of the array spanning `range`; nil when it is not an array.
    mutating func elements(of range: Range<Int>) -> [Range<Int>]? {
        var at = skipSpaces(range.lowerBound)
        guard at < range.upperBound, bytes[at] == UInt8(ascii: "[") else { return nil }
        var elements: [Range<Int>] = []
        at = skipSpaces(at + 1)
        while at < range.upperBound, bytes[at] != UInt8(ascii: "]") {
            let end = skipValue(at)
            elements.append(at..<end)
            at = skipSpaces(end)
            if at < range.upperBound, bytes[at] == UInt8(ascii: ",") { at = skipSpaces(at + 1) }
        }
        return elements
    }

    /// The string at `range`, decoded; nil when it is not a string.
    func string(_ range: Range<Int>) -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var scalars = String.UnicodeScalarView()
        var at = range.lowerBound + 1
        var pendingHigh: UInt32?
        while at < range.upperBound - 1 {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\\"), at + 1 < range.upperBound - 1 {
                let escaped = bytes[at + 1]
                at += 2
                switch escaped {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "u"):
                    let hex = String(decoding: bytes[at..<min(at + 4, range.upperBound)], as: UTF8.self)
                    at += 4
                    guard let code = UInt32(hex, radix: 16) else { continue }
                    if (0xD800..<0xDC00).contains(code) {
                        pendingHigh = code
                    } else if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
                        pendingHigh = nil
                        let combined = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                        if let scalar = Unicode.Scalar(combined) { scalars.append(scalar) }
                    } else if let scalar = Unicode.Scalar(code) {
                        scalars.append(scalar)
                    }
                default: scalars.append(Unicode.Scalar(escaped))
                }
            } else {
                // Multi-byte UTF-8 (the writer escapes it, but be safe): decode the run.
                var end = at + 1
                while end < range.upperBound - 1, bytes[end] & 0xC0 == 0x80 { end += 1 }
                scalars.append(contentsOf: String(decoding: bytes[at..<end], as: UTF8.self).unicodeScalars)
                at = end
            }
        }
        return String(scalars)
    }

    /// The value at `range` as a view key: a string's text, else the JSON text (`0` for a number).
    func text(_ range: Range<Int>) -> String {
        string(range) ?? String(decoding: bytes[range], as: UTF8.self)
    }

    private func skipSpaces(_ start: Int) -> Int {
        var at = start
        while at < bytes.count, bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\n") { at += 1 }
        return at
    }

    /// The index just past the value starting at `start`.
    private func skipValue(_ start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            var at = start + 1
            while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
                at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1
            }
            return min(at + 1, bytes.count)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var at = start
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "\""):
                    at = skipValue(at)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return at + 1 }
                default: break
                }
                at += 1
            }
            return at
        default:
            var at = start
            while at < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[at]) {
                at += 1
            }
            return at
        }
    }
}
