import GlancedCompression
import GlancedHTTP
import Testing

@Suite("gzip through zlib")
struct GzipTests {
    @Test("round trips", arguments: [0, 1, 100, 1400, 70_000, 1 << 20])
    func roundTrip(size: Int) {
        var state: UInt32 = 12345
        // Half compressible, half noise.
        let input: [UInt8] = (0..<size).map { index in
            state = state &* 1_103_515_245 &+ 12345
            return index % 2 == 0 ? UInt8(ascii: "a") + UInt8(index % 7) : UInt8(truncatingIfNeeded: state >> 16)
        }
        for level in [1, 6, 9, 0] {
            let compressed = Gzip.compress(input, level: level)
            #expect(Array(compressed.prefix(3)) == [0x1f, 0x8b, 0x08])
            #expect(Gzip.decompress(compressed) == input)
        }
    }

    @Test("repetitive text shrinks a lot")
    func shrinks() {
        let text = Array(String(repeating: "<value><string>cpu</string></value>", count: 1000).utf8)
        #expect(Gzip.compress(text).count < text.count / 20)
    }

    @Test("corrupt, truncated and oversized input decompress to nil")
    func badInput() {
        let compressed = Gzip.compress(Array(String(repeating: "hello ", count: 1000).utf8))
        #expect(Gzip.decompress(Array(compressed.dropLast(10))) == nil)
        #expect(Gzip.decompress([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4, 5, 6]) == nil)
        #expect(Gzip.decompress(Array("plain text".utf8)) == nil)
        #expect(Gzip.decompress([]) == nil)
        #expect(Gzip.decompress(compressed, maxSize: 100) == nil)
        #expect(Gzip.decompress(compressed, maxSize: 6000)?.count == 6000)
    }
}

@Suite("HTTPRequest")
struct HTTPRequestTests {
    @Test("header lookup ignores case and returns the first")
    func header() {
        let request = HTTPRequest(
            method: "POST",
            path: "/RPC2",
            headers: [("Content-Type", "text/xml"), ("content-type", "other"), ("X-Ä", "u")]
        )
        #expect(request.header("content-TYPE") == "text/xml")
        #expect(request.header("x-ä") == nil)
        #expect(request.header("X-Ä") == "u")
        #expect(request.header("missing") == nil)
    }

    @Test(
        "Accept-Encoding decides acceptsGzip",
        arguments: [
            (["gzip"], true), (["GZIP"], true), (["deflate, gzip"], true), (["gzip;q=0.5"], true),
            (["gzip; q=0"], false), (["gzip;q=0.000"], false), (["gzip;q=0.001"], true), (["x-gzip"], true),
            (["*"], true), (["*;q=0"], false), (["gzip;q=0, *"], false), (["identity"], false), ([], false),
            (["deflate", "gzip"], true), (["br", "identity;q=1"], false), ([" gzip ,br"], true), (["gzipx"], false),
        ] as [([String], Bool)]
    )
    func acceptsGzip(values: [String], expected: Bool) {
        let headers = values.map { (name: "Accept-Encoding", value: $0) } + [(name: "Host", value: "gzip")]
        #expect(HTTPRequest(method: "POST", path: "/", headers: headers).acceptsGzip == expected)
    }
}
