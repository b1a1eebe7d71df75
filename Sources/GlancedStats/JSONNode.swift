/// A parsed JSON document whose scalars keep the exact text they were written with, so a part of a rendering
/// (a REST item, one list entry) is written back byte for byte as the renderer wrote it.
///
/// It reads what ``JSONWriter`` writes; anything else it refuses with nil rather than guessing. Depth is bounded.
package indirect enum JSONNode: Sendable, Equatable {
    /// An object: its members in document order.
    case object([Member])
    /// An array.
    case array([JSONNode])
    /// A number, string (quotes and escapes included), `true`, `false` or `null`, as written.
    case scalar([UInt8])

    /// One member of an object.
    package struct Member: Sendable, Equatable {
        /// The key, unescaped.
        package var key: String
        /// The value.
        package var value: JSONNode

        /// Creates a member.
        package init(key: String, value: JSONNode) {
            self.key = key
            self.value = value
        }
    }

    /// Deeper documents are refused.
    package static let maxDepth = 64

    /// Parses `bytes`; nil when they are not one JSON value (with optional surrounding spaces).
    package static func parse(_ bytes: [UInt8]) -> JSONNode? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer)
            guard let node = parser.value(depth: 0) else { return nil }
            parser.skipSpaces()
            return parser.at == buffer.count ? node : nil
        }
    }

    /// The value of member `key` of an object; nil for another node or a missing key.
    package subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The elements of an array, or nil.
    package var elements: [JSONNode]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an object, or nil.
    package var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The text of a string scalar, unescaped; nil for anything else.
    package var string: String? {
        guard case .scalar(let raw) = self, raw.first == UInt8(ascii: "\"") else { return nil }
        return Self.unescape(raw)
    }

    /// The value of a number scalar; nil for anything else.
    package var number: Double? {
        guard case .scalar(let raw) = self, let first = raw.first,
            first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return nil }
        return Double(String(decoding: raw, as: UTF8.self))
    }

    /// Whether this scalar equals `text` as Glances compares a REST path value: the same string, or the same
    /// number when both read as numbers.
    package func matches(_ text: String) -> Bool {
        if let string { return string == text }
        if let number, let wanted = Double(text) { return number == wanted }
        if case .scalar(let raw) = self { return String(decoding: raw, as: UTF8.self) == text }
        return false
    }

    /// Writes the node back: scalars as they were written, containers with ``JSONWriter``'s separators.
    package func write(into json: inout JSONWriter) {
        switch self {
        case .scalar(let raw):
            json.raw(raw)
        case .array(let elements):
            json.array { json in
                for element in elements { element.write(into: &json) }
            }
        case .object(let members):
            json.object { json in
                for member in members {
                    json.key(member.key)
                    member.value.write(into: &json)
                }
            }
        }
    }

    /// The node as JSON text.
    package var bytes: [UInt8] {
        var writer = JSONWriter()
        write(into: &writer)
        return writer.bytes
    }

    private static func unescape(_ raw: [UInt8]) -> String? {
        guard raw.count >= 2 else { return nil }
        let body = raw[1..<(raw.count - 1)]
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        var units: [UInt16] = []
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\") else {
                // Raw UTF-8 (not written by JSONWriter, but valid JSON): decode it as one run.
                var end = index
                while end < body.endIndex, body[end] != UInt8(ascii: "\\") { end += 1 }
                units += String(decoding: body[index..<end], as: UTF8.self).utf16
                index = end
                continue
            }
            let next = body.index(after: index)
            guard next < body.endIndex else { return nil }
            switch body[next] {
            case UInt8(ascii: "n"): units.append(0x0A)
            case UInt8(ascii: "r"): units.append(0x0D)
            case UInt8(ascii: "t"): units.append(0x09)
            case UInt8(ascii: "b"): units.append(0x08)
            case UInt8(ascii: "f"): units.append(0x0C)
            case UInt8(ascii: "u"):
                guard next + 4 < body.endIndex,
                    let unit = UInt16(String(decoding: body[(next + 1)...(next + 4)], as: UTF8.self), radix: 16)
                else { return nil }
                units.append(unit)
                index = next + 5
                continue
            default: units.append(UInt16(body[next]))
            }
            index = next + 1
        }
        return String(decoding: units, as: UTF16.self)
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func skipSpaces() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 {
                at += 1
            }
        }

        mutating func value(depth: Int) -> JSONNode? {
            guard depth < JSONNode.maxDepth else { return nil }
            skipSpaces()
            guard at < bytes.count else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map { .scalar($0) }
            default: return literal().map { .scalar($0) }
            }
        }

        mutating func object(depth: Int) -> JSONNode? {
            at += 1
            var members: [Member] = []
            skipSpaces()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            while true {
                skipSpaces()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let rawKey = string(),
                    let key = JSONNode.unescape(rawKey)
                else { return nil }
                skipSpaces()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
                at += 1
                guard let value = value(depth: depth + 1) else { return nil }
                members.append(Member(key: key, value: value))
                skipSpaces()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                    continue
                }
                guard bytes[at] == UInt8(ascii: "}") else { return nil }
                at += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) -> JSONNode? {
            at += 1
            var elements: [JSONNode] = []
            skipSpaces()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array(elements)
            }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpaces()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                    continue
                }
                guard bytes[at] == UInt8(ascii: "]") else { return nil }
                at += 1
                return .array(elements)
            }
        }

        /// A string scalar, quotes included; the escapes are checked for shape only.
        mutating func string() -> [UInt8]? {
            let start = at
            at += 1
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "\""):
                    at += 1
                    return Array(bytes[start..<at])
                case UInt8(ascii: "\\"):
                    at += 2
                case 0..<0x20:
                    return nil
                default:
                    at += 1
                }
            }
            return nil
        }

        /// A number, `true`, `false` or `null`.
        mutating func literal() -> [UInt8]? {
            let start = at
            for word in ["true", "false", "null"] where bytes[at...].starts(with: word.utf8) {
                at += word.utf8.count
                return Array(bytes[start..<at])
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            let digits = at
            while at < bytes.count {
                let byte = bytes[at]
                let isNumberByte =
                    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: "-")
                guard isNumberByte else { break }
                at += 1
            }
            guard at > digits, bytes[digits] >= UInt8(ascii: "0"), bytes[digits] <= UInt8(ascii: "9"),
                Double(String(decoding: bytes[start..<at], as: UTF8.self)) != nil
            else { return nil }
            return Array(bytes[start..<at])
        }
    }
}
