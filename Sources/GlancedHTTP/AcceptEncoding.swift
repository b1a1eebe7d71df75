/// Reads `Accept-Encoding` (RFC 9110 §12.5.3) far enough to decide on gzip.
enum AcceptEncoding {
    /// Whether the `Accept-Encoding` field values allow a gzip reply.
    ///
    /// `gzip` or `x-gzip` with a quality other than zero allows it; so does `*` when gzip is not
    /// named. No field, or `identity` only, does not.
    static func allowsGzip<Values: Sequence<String>>(_ values: Values) -> Bool {
        var gzip: Bool? = nil
        var star: Bool? = nil
        for value in values {
            for element in value.utf8.split(separator: UInt8(ascii: ",")) {
                var parts = element.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).makeIterator()
                guard let coding = parts.next().map(trimmed) else { continue }
                var accepted = true
                while let parameter = parts.next() {
                    let parameter = trimmed(parameter)
                    guard parameter.count >= 2, ASCII.lower(parameter[parameter.startIndex]) == UInt8(ascii: "q"),
                        parameter[parameter.index(after: parameter.startIndex)] == UInt8(ascii: "=")
                    else { continue }
                    accepted = !isZeroQuality(parameter.dropFirst(2))
                }
                if ASCII.equalsIgnoringCase(coding, lowercased: "gzip")
                    || ASCII.equalsIgnoringCase(coding, lowercased: "x-gzip")
                {
                    // The highest quality given wins if gzip is listed twice.
                    gzip = (gzip ?? false) || accepted
                } else if coding.elementsEqual("*".utf8) {
                    star = (star ?? false) || accepted
                }
            }
        }
        return gzip ?? star ?? false
    }

    /// `bytes` without leading and trailing spaces and tabs.
    private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        var bytes = bytes
        while let first = bytes.first, ASCII.isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, ASCII.isSpace(last) { bytes = bytes.dropLast() }
        return bytes
    }

    /// Whether a `qvalue` (`0`, `0.`, `0.000`, ...) is zero; anything unparsable counts as non-zero.
    private static func isZeroQuality(_ bytes: Substring.UTF8View) -> Bool {
        let bytes = trimmed(bytes)
        guard bytes.first == UInt8(ascii: "0") else { return false }
        var rest = bytes.dropFirst()
        guard let dot = rest.first else { return true }
        guard dot == UInt8(ascii: ".") else { return false }
        rest = rest.dropFirst()
        return rest.allSatisfy { $0 == UInt8(ascii: "0") }
    }
}
