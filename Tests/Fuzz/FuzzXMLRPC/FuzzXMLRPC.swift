import GlancedXMLRPC

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`):
/// `XMLRPCMethodCall.parse` over arbitrary bytes, and the round trip of what it accepts.
///
/// A document that parses is written back with `XMLRPCMethodCall.serialized` and parsed again: the second
/// parse must succeed and give the same call, up to what XML itself normalizes (a CR read back as LF) and NaN
/// (never equal to itself). The written form of that second call is then a fixed point of parse-and-write.
/// The second parse gets room for what writing adds (a `<string>` around bare text, newlines, escapes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLRPC(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let call: XMLRPCMethodCall
    do {
        call = try XMLRPCMethodCall.parse(bytes)
    } catch {
        // Every failure carries an offset inside the document (or at its end).
        precondition((0...max(bytes.count, XMLRPCLimits.default.maxBytes)).contains(error.offset), "\(error)")
        return 0
    }
    let written = call.serialized
    let roomy = XMLRPCLimits(maxBytes: Int.max, maxDepth: 1_000, maxElements: Int.max, maxStringBytes: Int.max)
    let reparsed: XMLRPCMethodCall
    do {
        reparsed = try XMLRPCMethodCall.parse(written, limits: roomy)
    } catch {
        preconditionFailure("the written form of a parsed call does not parse: \(error)")
    }
    precondition(reparsed.methodName == call.methodName, "method name changed")
    precondition(reparsed.params.count == call.params.count, "parameter count changed")
    for (before, after) in zip(call.params, reparsed.params) {
        precondition(
            Equivalence.same(Equivalence.normalized(before), after), "parameter changed: \(before) → \(after)")
    }
    let rewritten = reparsed.serialized
    guard let third = try? XMLRPCMethodCall.parse(rewritten, limits: roomy) else {
        preconditionFailure("the second written form does not parse")
    }
    precondition(third.serialized == rewritten, "the written form is not a fixed point")
    return 0
}

/// Equality up to XML line-end normalization and NaN.
enum Equivalence {
    /// `value` as it reads back after a round trip: CR LF and lone CR in text become LF.
    static func normalized(_ value: XMLRPCValue) -> XMLRPCValue {
        switch value {
        case .string(let text): .string(lineEnds(text))
        case .dateTime(let text): .dateTime(lineEnds(text))
        case .array(let items): .array(items.map(normalized))
        case .structure(let members):
            .structure(members.map { XMLRPCMember(name: lineEnds($0.name), value: normalized($0.value)) })
        case .int, .bool, .double, .base64, .null: value
        }
    }

    /// `==`, with NaN equal to NaN.
    static func same(_ a: XMLRPCValue, _ b: XMLRPCValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): x == y || (x.isNaN && y.isNaN)
        case (.array(let xs), .array(let ys)): xs.count == ys.count && zip(xs, ys).allSatisfy(same)
        case (.structure(let xs), .structure(let ys)):
            xs.count == ys.count && zip(xs, ys).allSatisfy { $0.name == $1.name && same($0.value, $1.value) }
        default: a == b
        }
    }

    private static func lineEnds(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == 0x0D {
                out.append(0x0A)
                afterCR = true
                continue
            }
            if !(afterCR && byte == 0x0A) { out.append(byte) }
            afterCR = false
        }
        return String(decoding: out, as: UTF8.self)
    }
}
