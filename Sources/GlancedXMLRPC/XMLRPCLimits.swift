/// The bounds ``XMLRPCMethodCall/parse(_:limits:)`` enforces while it reads a document.
///
/// Every limit is checked as the parser goes, so a hostile document fails at the first byte that breaks one.
package struct XMLRPCLimits: Sendable {
    /// The largest document accepted, in bytes (checked before anything is read).
    package var maxBytes: Int
    /// The deepest element nesting accepted; `<methodCall>` is depth 1, a top-level parameter's `<value>` depth 4.
    package var maxDepth: Int
    /// The most elements (start tags, self-closing ones included) a document may hold.
    package var maxElements: Int
    /// The most bytes of character data (UTF-8, after entity decoding) between two tags: bounds every string,
    /// name, number and base64 text.
    package var maxStringBytes: Int

    /// Creates a set of limits.
    ///
    /// - Parameters:
    ///   - maxBytes: The largest document, in bytes.
    ///   - maxDepth: The deepest element nesting.
    ///   - maxElements: The most elements in a document.
    ///   - maxStringBytes: The longest character data between two tags, in bytes.
    package init(maxBytes: Int = 65_536, maxDepth: Int = 32, maxElements: Int = 10_000, maxStringBytes: Int = 65_536) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxStringBytes = maxStringBytes
    }

    /// 64 KiB documents, depth 32, 10,000 elements, 64 KiB strings: far more than any Glances request needs.
    package static let `default` = XMLRPCLimits()
}
