/// Why a document could not be read as an XML-RPC `methodCall`, and where.
///
/// The glue answers any of these with ``XMLRPCResponse/fault(_:)`` (fault code ``faultCode``).
package struct XMLRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    package var code: Code
    /// The byte offset in the input where the problem was detected.
    package var offset: Int
    /// A short human-readable explanation, such as `unexpected end of document`.
    package var message: String

    /// The XML-RPC fault code for a parse error (the xmlrpc-epi "specification" value Python also knows).
    package static let faultCode = -32700

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - offset: The byte offset in the input where it was detected.
    ///   - message: A short explanation.
    package init(_ code: Code, offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// `parse error at byte N: message (code)`.
    package var description: String {
        "parse error at byte \(offset): \(message) (\(code))"
    }

    /// The kind of an ``XMLRPCError``.
    ///
    /// A struct over a private enum, so kinds can be added without breaking a `switch` elsewhere.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Sendable, Hashable {
            case notWellFormed, notMethodCall, tooLarge, tooDeep, tooManyElements
            case forbiddenMarkup, invalidValue, invalidEncoding
        }

        private var kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// Not well-formed XML: truncated, mismatched tags, bad attribute quoting, an undefined entity, a character
        /// XML 1.0 forbids (such as a raw control character), content after the root element.
        package static let notWellFormed = Code(.notWellFormed)
        /// Well-formed XML whose element structure is not a `methodCall`: another root element, or a missing or
        /// misplaced `<methodName>`, `<params>` or `<param>`.
        package static let notMethodCall = Code(.notMethodCall)
        /// Over ``XMLRPCLimits/maxBytes`` (the whole document) or ``XMLRPCLimits/maxStringBytes`` (one text).
        package static let tooLarge = Code(.tooLarge)
        /// Elements nested deeper than ``XMLRPCLimits/maxDepth``.
        package static let tooDeep = Code(.tooDeep)
        /// More than ``XMLRPCLimits/maxElements`` elements.
        package static let tooManyElements = Code(.tooManyElements)
        /// `<!DOCTYPE`, `<!ENTITY` or any other `<!` declaration, or a processing instruction other than the
        /// leading XML declaration. Never expanded, never followed.
        package static let forbiddenMarkup = Code(.forbiddenMarkup)
        /// A value or method name that cannot be read: a bad number, boolean or base64 text, an unknown element
        /// inside `<value>`, an array without `<data>`, a member without `<name>`, a bad method name.
        package static let invalidValue = Code(.invalidValue)
        /// Bytes that are not UTF-8, or an XML declaration naming another encoding.
        package static let invalidEncoding = Code(.invalidEncoding)

        /// The kind's name, as written in Swift (`notWellFormed`).
        package var description: String {
            switch kind {
            case .notWellFormed: "notWellFormed"
            case .notMethodCall: "notMethodCall"
            case .tooLarge: "tooLarge"
            case .tooDeep: "tooDeep"
            case .tooManyElements: "tooManyElements"
            case .forbiddenMarkup: "forbiddenMarkup"
            case .invalidValue: "invalidValue"
            case .invalidEncoding: "invalidEncoding"
            }
        }
    }
}
