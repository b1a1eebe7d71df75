/// Writers for `methodResponse` documents, byte for byte as Python's `xmlrpc.server` writes them.
///
/// Text is escaped as Python escapes it (`&`, `<`, `>` only). Bytes that are not UTF-8 and characters XML 1.0
/// cannot carry (C0 controls other than tab, LF and CR, U+FFFE, U+FFFF) are replaced by U+FFFD, so every output
/// is well-formed XML. A CR is written as is, so a reader turns it into LF (Python behaves the same).
package enum XMLRPCResponse {
    /// A methodResponse whose single value is a `<string>` holding `text` (UTF-8 bytes, typically JSON).
    ///
    /// The fast path for large JSON bodies: one allocation sized for the text plus an eighth, unchanged runs
    /// copied in bulk.
    ///
    /// - Parameter utf8: The string's UTF-8 bytes.
    /// - Returns: The document.
    package static func string(_ utf8: [UInt8]) -> [UInt8] {
        utf8.withUnsafeBufferPointer { stringResponse($0) }
    }

    /// A methodResponse whose single value is a `<string>` holding `text`.
    ///
    /// - Parameter text: The string.
    /// - Returns: The document.
    package static func string(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { stringResponse($0) }
    }

    /// A methodResponse holding any value (used for `system.listMethods` arrays and the like).
    ///
    /// - Parameter value: The single result value.
    /// - Returns: The document.
    package static func value(_ value: XMLRPCValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        XMLRPCWriter.append(Self.prefix, to: &out)
        XMLRPCWriter.appendValue(value, to: &out)
        XMLRPCWriter.append(Self.suffix, to: &out)
        return out
    }

    /// A fault: `<methodResponse><fault><value><struct>` with an int `faultCode` and a string `faultString`.
    ///
    /// - Parameters:
    ///   - code: The fault code (1 for an unknown method, as Glances uses; ``XMLRPCError/faultCode`` for a parse
    ///     error).
    ///   - message: The fault string.
    /// - Returns: The document.
    package static func fault(code: Int, message: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + message.utf8.count)
        XMLRPCWriter.append("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n", to: &out)
        XMLRPCWriter.appendValue(
            .structure([
                XMLRPCMember(name: "faultCode", value: .int(code)),
                XMLRPCMember(name: "faultString", value: .string(message)),
            ]),
            to: &out
        )
        XMLRPCWriter.append("</fault>\n</methodResponse>\n", to: &out)
        return out
    }

    /// The fault for a request that could not be parsed: code ``XMLRPCError/faultCode`` (-32700) and the error's
    /// ``XMLRPCError/description``.
    ///
    /// - Parameter error: The parse error.
    /// - Returns: The document.
    package static func fault(_ error: XMLRPCError) -> [UInt8] {
        fault(code: XMLRPCError.faultCode, message: error.description)
    }

    private static let prefix: StaticString = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
    private static let suffix: StaticString = "</param>\n</params>\n</methodResponse>\n"

    private static func stringResponse(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 8 + 160)
        XMLRPCWriter.append(Self.prefix, to: &out)
        XMLRPCWriter.append("<value><string>", to: &out)
        XMLRPCWriter.appendEscaped(text, to: &out)
        XMLRPCWriter.append("</string></value>\n", to: &out)
        XMLRPCWriter.append(Self.suffix, to: &out)
        return out
    }
}

extension XMLRPCMethodCall {
    /// A `methodCall` document, byte for byte as Python's `xmlrpc.client.dumps(params, method)` writes it (for
    /// tests, benchmarks and clients).
    ///
    /// - Parameters:
    ///   - method: The method name (escaped, not checked).
    ///   - params: The parameters.
    /// - Returns: The document.
    package static func request(method: String, params: [XMLRPCValue] = []) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        XMLRPCWriter.append("<?xml version='1.0'?>\n<methodCall>\n<methodName>", to: &out)
        XMLRPCWriter.appendEscaped(method, to: &out)
        XMLRPCWriter.append("</methodName>\n<params>\n", to: &out)
        for param in params {
            XMLRPCWriter.append("<param>\n", to: &out)
            XMLRPCWriter.appendValue(param, to: &out)
            XMLRPCWriter.append("</param>\n", to: &out)
        }
        XMLRPCWriter.append("</params>\n</methodCall>\n", to: &out)
        return out
    }

    /// This call as a `methodCall` document (see ``request(method:params:)``).
    package var serialized: [UInt8] {
        Self.request(method: methodName, params: params)
    }
}
