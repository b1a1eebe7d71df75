/// One XML-RPC value, as it travels inside `<value>`.
///
/// Parsing maps every element Python's `xmlrpc.client` reads onto one case (`<i1>`, `<i2>`, `<i4>`, `<i8>`,
/// `<int>`, `<biginteger>` → ``int(_:)``; `<double>`, `<float>` → ``double(_:)``); writing uses the element
/// named in each case's comment, laid out as Python's marshaller lays it out.
///
/// Values are a recursive enum, so very deep values are released recursively: keep
/// ``XMLRPCLimits/maxDepth`` modest (the default, 32, allows about nine nested arrays).
package enum XMLRPCValue: Sendable, Equatable {
    /// `<int>` (also read from `<i4>`, `<i8>`): a 64-bit signed integer.
    case int(Int)
    /// `<boolean>` holding `0` or `1`.
    case bool(Bool)
    /// `<string>`, or bare text directly inside `<value>`.
    ///
    /// XML line-end handling applies on reading: a literal CR or CR LF becomes LF (write `&#13;` to keep a CR),
    /// exactly as Python reads it. On writing, characters XML 1.0 cannot carry (C0 controls other than tab, LF
    /// and CR, U+FFFE, U+FFFF) are replaced by U+FFFD.
    case string(String)
    /// `<double>`, written with Swift's shortest round-trip `description` (the same text as Python's `repr`,
    /// including `nan`, `inf` and `-inf`, which Python's `float()` reads back).
    case double(Double)
    /// `<dateTime.iso8601>`, kept as the raw text (for example `20240101T12:00:00`); not validated.
    case dateTime(String)
    /// `<base64>`: the decoded bytes.
    case base64([UInt8])
    /// `<array><data>…</data></array>`.
    case array([XMLRPCValue])
    /// `<struct>` with its members in document order (duplicate names are kept).
    case structure([XMLRPCMember])
    /// `<nil/>`, the extension Python writes for `None` with `allow_none=True` (also read as `<ex:nil/>`).
    ///
    /// Not `.nil`, which would read as `Optional.none` wherever an `XMLRPCValue?` is expected.
    case null
}

/// One `<member>` of an XML-RPC `<struct>`: a name and its value.
package struct XMLRPCMember: Sendable, Equatable {
    /// The member's `<name>` text.
    package var name: String
    /// The member's value.
    package var value: XMLRPCValue

    /// Creates a struct member.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - value: The member's value.
    package init(name: String, value: XMLRPCValue) {
        self.name = name
        self.value = value
    }
}
