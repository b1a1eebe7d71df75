import GlancedXMLRPC
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every input of the FuzzXMLRPC seed corpus (`Tests/Fuzz/corpus/FuzzXMLRPC`), checked as the fuzzer checks it:
/// a crash the fuzzer finds is minimized into that folder and stays a regression test here.
@Suite struct FuzzCorpusRegressionTests {
    static let folder: String = {
        // #filePath is …/Tests/GlancedXMLRPCTests/FuzzCorpusRegressionTests.swift
        var path = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        path.removeLast(2)
        return path.joined(separator: "/") + "/Fuzz/corpus/FuzzXMLRPC"
    }()

    static var inputs: [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = direntName(entry)
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while case let got = Glibc.read(fd, &chunk, chunk.count), got > 0 { bytes += chunk[0..<got] }
        return bytes
    }

    @Test func corpusIsThere() {
        #expect(Self.inputs.count >= 3, "seed corpus at \(Self.folder)")
    }

    @Test(arguments: inputs)
    func parsesOrFailsCleanlyAndRoundTrips(_ name: String) throws {
        let bytes = Self.read(Self.folder + "/" + name)
        guard let call = try? XMLRPCMethodCall.parse(bytes) else { return }
        let roomy = XMLRPCLimits(maxBytes: Int.max, maxDepth: 1_000, maxElements: Int.max, maxStringBytes: Int.max)
        let again = try XMLRPCMethodCall.parse(call.serialized, limits: roomy)
        #expect(again.methodName == call.methodName)
        #expect(again.params.count == call.params.count)
        let third = try XMLRPCMethodCall.parse(again.serialized, limits: roomy)
        #expect(third.serialized == again.serialized, "the written form is a fixed point")
    }
}

/// The name in a `readdir` entry, read up to its NUL: glibc allocates only as much of `d_name` as the name
/// needs, so copying the whole 256-byte field would read past the entry (AddressSanitizer reports it).
private func direntName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
    return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
}
