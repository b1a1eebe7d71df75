import GlancedPrometheus
import Testing

@Suite struct ExpositionWriterTests {
    @Test func typedValuesGiveExactBytes() {
        var out = ExpositionWriter()
        out.family("node_load1", .gauge, help: "1m load average.")
        out.sample("node_load1", 0.25)
        out.family("node_forks_total", .counter, help: "Total number of forks.\nback\\slash")
        out.sample("node_forks_total", UInt64.max)
        out.family("x_bytes", .gauge, help: "h")
        out.sample("x_bytes", ["device": "sda", "path": "/"], Int.min)
        out.sample("x_bytes", ["device": "vda"], 1e21)
        out.sample("x_bytes", ["device": "vdb"], 1.5e-7)
        out.sample("x_bytes", ["device": "vdc"], 4096.0)
        out.sample("x_bytes", ["device": "vdd"], -0.0)
        let expected = """
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1 0.25
            # HELP node_forks_total Total number of forks.\\nback\\\\slash
            # TYPE node_forks_total counter
            node_forks_total 18446744073709551615
            # HELP x_bytes h
            # TYPE x_bytes gauge
            x_bytes{device="sda",path="/"} -9223372036854775808
            x_bytes{device="vda"} 1e+21
            x_bytes{device="vdb"} 1.5e-07
            x_bytes{device="vdc"} 4096
            x_bytes{device="vdd"} 0

            """
        #expect(String(decoding: out.bytes, as: UTF8.self) == expected)
    }

    @Test func nonFiniteValuesAreWrittenAsGoReadsThem() {
        var out = ExpositionWriter()
        out.family("v", .gauge, help: "")
        let zero = Double(Int.random(in: 0...0))
        out.sample("v", ["k": "nan"], zero / zero)
        out.sample("v", ["k": "-nan"], -(zero / zero))
        out.sample("v", ["k": "inf"], 1 / zero)
        out.sample("v", ["k": "-inf"], -1 / zero)
        out.sample("v", ["k": "snan"], Double.signalingNaN)
        let text = String(decoding: out.bytes, as: UTF8.self)
        #expect(
            text.hasSuffix(
                "v{k=\"nan\"} NaN\nv{k=\"-nan\"} NaN\nv{k=\"inf\"} +Inf\nv{k=\"-inf\"} -Inf\nv{k=\"snan\"} NaN\n"))
        #expect(!text.contains("nan\n") && !text.contains("inf\n"))
    }

    @Test func everyByteOfALabelValueIsEscapedAndValidUTF8() {
        // Every single byte, and every byte pair starting with a lead byte, as a process name could hold them.
        var values: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for lead in 0xC0...0xFF { values.append([UInt8(lead), 0x80]) }
        values.append(Array("a\"b\\c\nd".utf8))
        for raw in values {
            var out = ExpositionWriter()
            out.family("m", .gauge, help: "")
            out.sample("m", ["name": ExpositionWriter.repairedUTF8(raw)], 1)
            let line = Array(out.bytes.split(separator: UInt8(ascii: "\n")).last!)
            #expect(String(validating: line, as: UTF8.self) != nil)
            // The quoted value: between `="` and the last `"}`; no raw newline, every `"` and `\` escaped.
            let value = Array(line[8..<(line.count - 4)])
            #expect(Array(line.prefix(8)) == Array("m{name=\"".utf8))
            #expect(Array(line.suffix(4)) == Array("\"} 1".utf8))
            var index = 0
            while index < value.count {
                #expect(value[index] != UInt8(ascii: "\n") && value[index] != UInt8(ascii: "\""))
                if value[index] == UInt8(ascii: "\\") {
                    #expect([UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "n")].contains(value[index + 1]))
                    index += 1
                }
                index += 1
            }
        }
        var out = ExpositionWriter()
        out.family("m", .gauge, help: "")
        out.sample("m", ["name": "a\"b\\c\nd"], 1)
        #expect(String(decoding: out.bytes, as: UTF8.self).hasSuffix("m{name=\"a\\\"b\\\\c\\nd\"} 1\n"))
        out.sample("m", ["name": ExpositionWriter.repairedUTF8([0x66, 0xFF, 0x6F])], 1)
        #expect(String(decoding: out.bytes, as: UTF8.self).hasSuffix("m{name=\"f\u{FFFD}o\"} 1\n"))
    }

    @Test func namesAreValidatedOverTheWholeByteRangeAndRepaired() {
        for byte in 0...255 {
            let name = String(decoding: [UInt8(ascii: "a"), UInt8(byte)], as: UTF8.self)
            let scalar = UInt8(byte)
            let ok =
                (scalar >= 0x30 && scalar <= 0x39) || (scalar >= 0x41 && scalar <= 0x5A)
                || (scalar >= 0x61 && scalar <= 0x7A) || scalar == 0x5F
            #expect(ExpositionWriter.isValidMetricName(name) == (ok || scalar == 0x3A))
            #expect(ExpositionWriter.isValidLabelName(name) == ok)
            #expect(ExpositionWriter.isValidMetricName(ExpositionWriter.metricName(name)))
            #expect(ExpositionWriter.isValidLabelName(ExpositionWriter.labelName(name)))
        }
        #expect(!ExpositionWriter.isValidMetricName("0a") && !ExpositionWriter.isValidMetricName(""))
        #expect(ExpositionWriter.metricName("0a-b") == "_a_b")
        #expect(ExpositionWriter.labelName("__name__") == "_xname__")
    }

    @Test func aFamilyIsWrittenOnce() {
        var out = ExpositionWriter()
        let first = out.family("a", .gauge, help: "x")
        out.sample("a", 1)
        let second = out.family("a", .counter, help: "y")
        #expect(first && !second)
        out.sample("a", 2)
        #expect(String(decoding: out.bytes, as: UTF8.self) == "# HELP a x\n# TYPE a gauge\na 1\n")
    }

    @Test func textfilesAreCheckedAndMerged() {
        let good = Array(
            "# HELP smartmon_temp Temperature.\n# TYPE smartmon_temp gauge\nsmartmon_temp{disk=\"/dev/sda\"} 38\n".utf8)
        let families = Textfiles.parse(good)
        #expect(families?.map(\.name) == ["smartmon_temp"])
        #expect(families?.first?.type == .gauge)
        #expect(Textfiles.parse(Array("x 1 1700000000\n".utf8)) == nil)  // timestamp
        #expect(Textfiles.parse(Array("x{a=\"b} 1\n".utf8)) == nil)
        #expect(Textfiles.parse(Array("x 1\ny 2\nx 3\n".utf8)) == nil)  // split family
        #expect(Textfiles.parse([0x78, 0x7B, 0x61, 0x3D, 0x22, 0xFF, 0x22, 0x7D, 0x20, 0x31, 0x0A]) == nil)
        #expect(Textfiles.parse(Array("x -Inf\ny NaN\nz 1e3\n".utf8))?.count == 3)
    }
}
