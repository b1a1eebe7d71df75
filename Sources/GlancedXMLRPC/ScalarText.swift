/// Reading the text of `<int>`, `<boolean>` and `<double>` the way Python's `int()`, `"0"`/`"1"` and `float()` do,
/// minus their Unicode digits and `_` separators.
enum ScalarText {
    /// An optional sign and decimal digits, with whitespace around; out of `Int`'s range is an error.
    ///
    /// - Throws: `.invalidValue` at `offset`.
    static func integer(_ text: [UInt8], offset: Int) throws(XMLRPCError) -> Int {
        let digits = trimmed(text)
        var index = digits.startIndex
        var negative = false
        if index < digits.endIndex && (digits[index] == UInt8(ascii: "-") || digits[index] == UInt8(ascii: "+")) {
            negative = digits[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < digits.endIndex else {
            throw XMLRPCError(.invalidValue, offset: offset, "not an integer")
        }
        // Accumulate negatively so Int.min fits.
        var value = 0
        while index < digits.endIndex {
            let byte = digits[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                throw XMLRPCError(.invalidValue, offset: offset, "not an integer")
            }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = times.subtractingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowA && !overflowB else {
                throw XMLRPCError(.invalidValue, offset: offset, "integer out of range")
            }
            value = next
            index += 1
        }
        if negative {
            return value
        }
        guard value != Int.min else {
            throw XMLRPCError(.invalidValue, offset: offset, "integer out of range")
        }
        return -value
    }

    /// Exactly `0` or `1`, as Python reads `<boolean>`.
    ///
    /// - Throws: `.invalidValue` at `offset`.
    static func boolean(_ text: [UInt8], offset: Int) throws(XMLRPCError) -> Bool {
        switch text {
        case [UInt8(ascii: "0")]: return false
        case [UInt8(ascii: "1")]: return true
        default: throw XMLRPCError(.invalidValue, offset: offset, "boolean is not 0 or 1")
        }
    }

    /// A decimal floating-point number (`[+-] digits [. digits] [e [+-] digits]`, digits on at least one side of
    /// the point) or `inf`, `infinity`, `nan` in any case, with whitespace around.
    ///
    /// - Throws: `.invalidValue` at `offset`.
    static func double(_ text: [UInt8], offset: Int) throws(XMLRPCError) -> Double {
        let number = trimmed(text)
        guard isDecimal(number) || isSpecial(number),
            let value = Double(String(decoding: number, as: UTF8.self))
        else {
            throw XMLRPCError(.invalidValue, offset: offset, "not a floating-point number")
        }
        return value
    }

    private static func trimmed(_ text: [UInt8]) -> ArraySlice<UInt8> {
        var slice = text[...]
        while let first = slice.first, isWhitespace(first) {
            slice.removeFirst()
        }
        while let last = slice.last, isWhitespace(last) {
            slice.removeLast()
        }
        return slice
    }

    private static func isDecimal(_ number: ArraySlice<UInt8>) -> Bool {
        var index = number.startIndex
        func digits() -> Int {
            let start = index
            while index < number.endIndex && number[index] >= UInt8(ascii: "0") && number[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - start
        }
        func sign() {
            if index < number.endIndex && (number[index] == UInt8(ascii: "+") || number[index] == UInt8(ascii: "-")) {
                index += 1
            }
        }
        sign()
        var mantissa = digits()
        if index < number.endIndex && number[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if index < number.endIndex && (number[index] == UInt8(ascii: "e") || number[index] == UInt8(ascii: "E")) {
            index += 1
            sign()
            guard digits() > 0 else { return false }
        }
        return index == number.endIndex
    }

    private static func isSpecial(_ number: ArraySlice<UInt8>) -> Bool {
        var word = number
        if let first = word.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            word = word.dropFirst()
        }
        let lower = String(decoding: word, as: UTF8.self).lowercased()
        return lower == "inf" || lower == "infinity" || lower == "nan"
    }
}
