import GlancedStats

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`): `JSONNode.parse` over arbitrary bytes, what the REST
/// routes parse renderings with (an item, a list entry, `top`, `history`) before writing parts of them back.
///
/// Besides not crashing (nor recursing past its depth bound): a document that parses is written back with
/// `bytes`, which must parse again to an equal node, and whose written form is a fixed point; the node is no
/// deeper than `JSONNode.maxDepth`; a string scalar reads back (`string`) as the text that a writer would write
/// again as the same string; a number scalar starts like a JSON number.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONNode(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    guard let node = JSONNode.parse(bytes) else { return 0 }
    precondition(Check.depth(node) <= JSONNode.maxDepth, "a node deeper than the bound")
    let written = node.bytes
    guard let reparsed = JSONNode.parse(written) else {
        preconditionFailure("the written form does not parse: \(String(decoding: written, as: UTF8.self))")
    }
    precondition(reparsed == node, "the written form parses to another node")
    precondition(reparsed.bytes == written, "the written form is not a fixed point")
    Check.scalars(node)
    return 0
}

enum Check {
    /// The nesting depth: 1 for a scalar.
    static func depth(_ node: JSONNode) -> Int {
        switch node {
        case .scalar: 1
        case .array(let elements): 1 + (elements.map(depth).max() ?? 0)
        case .object(let members): 1 + (members.map { depth($0.value) }.max() ?? 0)
        }
    }

    /// Every scalar: a string's text, written again by `JSONWriter`, reads back as the same text; the key of
    /// every member too (keys are kept unescaped and written again).
    static func scalars(_ node: JSONNode) {
        switch node {
        case .scalar(let raw):
            precondition(!raw.isEmpty, "an empty scalar")
            if raw.first == UInt8(ascii: "\"") {
                guard let text = node.string else { return }  // an escape the shape check let through
                var writer = JSONWriter()
                writer.value(text)
                let again = JSONNode.parse(writer.bytes)
                precondition(again?.string == text, "a string does not round-trip: \(text.debugDescription)")
            } else if let number = node.number {
                _ = number
            } else {
                let literal = String(decoding: raw, as: UTF8.self)
                precondition(["true", "false", "null"].contains(literal), "an odd scalar: \(literal)")
            }
        case .array(let elements):
            for element in elements { scalars(element) }
        case .object(let members):
            for member in members {
                var writer = JSONWriter()
                writer.value(member.key)
                precondition(JSONNode.parse(writer.bytes)?.string == member.key, "a key does not round-trip")
                scalars(member.value)
            }
        }
    }
}
