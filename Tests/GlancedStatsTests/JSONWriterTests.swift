import GlancedStats
import Testing

@Suite struct JSONWriterTests {
    @Test func writesObjectsAsPythonJSONDumps() {
        var json = JSONWriter()
        json.object { json in
            json.field("user", 5.0)
            json.field("count", 12)
            json.field("name", "lo")
            json.field("none", nil as String?)
            json.key("list")
            json.array { json in
                json.value(1)
                json.value(0.5)
                json.value(true)
                json.null()
            }
            json.key("empty")
            json.object { _ in }
        }
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"user": 5.0, "count": 12, "name": "lo", "none": null, "list": [1, 0.5, true, null], "empty": {}}"#
        )
    }

    @Test(arguments: [
        (0.0, "0.0"), (5.0, "5.0"), (-3.0, "-3.0"), (100.0, "100.0"), (12.3, "12.3"), (0.1, "0.1"),
        (1e-05, "1e-05"), (123456789.5, "123456789.5"), (1e20, "1e+20"), (Double.nan, "0.0"), (Double.infinity, "0.0"),
    ])
    func doublesAlwaysHaveADecimalPointOrExponent(value: Double, text: String) {
        var json = JSONWriter()
        json.value(value)
        #expect(String(decoding: json.bytes, as: UTF8.self) == text)
    }

    @Test(arguments: [
        (0, "0"), (7, "7"), (-42, "-42"), (Int.max, "9223372036854775807"), (Int.min, "-9223372036854775808"),
    ])
    func integers(value: Int, text: String) {
        var json = JSONWriter()
        json.value(value)
        #expect(String(decoding: json.bytes, as: UTF8.self) == text)
    }

    @Test func counterAboveIntMaxIsClamped() {
        var json = JSONWriter()
        json.value(UInt64.max)
        #expect(String(decoding: json.bytes, as: UTF8.self) == "9223372036854775807")
    }

    @Test func escapesStringsWithEnsureASCII() {
        var json = JSONWriter()
        json.value("a\"b\\c\nd\te\u{1}é€😀/")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""a\"b\\c\nd\te\u0001\u00e9\u20ac\ud83d\ude00/""#)
    }

    @Test func rawDocumentsNestAsValues() {
        var json = JSONWriter()
        json.object { json in
            json.key("a")
            json.raw(Array("[1, 2]".utf8))
            json.key("b")
            json.raw(Array("null".utf8))
        }
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"a": [1, 2], "b": null}"#)
    }
}
