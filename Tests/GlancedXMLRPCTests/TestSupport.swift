import GlancedXMLRPC

/// Parses `document` (its UTF-8 bytes) and returns the error, or nil when it parsed.
func parseFailure(_ document: String, limits: XMLRPCLimits = .default) -> XMLRPCError? {
    parseFailure(Array(document.utf8), limits: limits)
}

/// Parses `bytes` and returns the error, or nil when it parsed.
func parseFailure(_ bytes: [UInt8], limits: XMLRPCLimits = .default) -> XMLRPCError? {
    do {
        _ = try XMLRPCMethodCall.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// Parses `document` (its UTF-8 bytes).
func parse(_ document: String, limits: XMLRPCLimits = .default) throws(XMLRPCError) -> XMLRPCMethodCall {
    try XMLRPCMethodCall.parse(Array(document.utf8), limits: limits)
}

/// A method call with one parameter, `<value>` replaced by `value` verbatim.
func callWithValue(_ value: String) -> String {
    "<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n<param>\n\(value)\n</param>\n"
        + "</params>\n</methodCall>\n"
}

/// The parameter of a one-parameter call whose `<value>` is `value` verbatim.
func parseValue(_ value: String) throws(XMLRPCError) -> XMLRPCValue? {
    try parse(callWithValue(value)).params.first
}

/// A deterministic generator (SplitMix64), so randomized tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
