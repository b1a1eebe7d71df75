import GlancedTestSupport
import GlancedXMLRPC
import Testing

/// Every input of the FuzzXMLRPC seed corpus (`Tests/Fuzz/corpus/FuzzXMLRPC`), checked as the fuzzer checks it:
/// a crash the fuzzer finds is minimized into that folder and stays a regression test here.
@Suite struct FuzzCorpusRegressionTests {
    static let folder = FuzzCorpus.folder("FuzzXMLRPC")

    static var inputs: [String] { FuzzCorpus.names("FuzzXMLRPC") }

    @Test func corpusIsThere() {
        #expect(Self.inputs.count >= 3, "seed corpus at \(Self.folder)")
    }

    @Test(arguments: inputs)
    func parsesOrFailsCleanlyAndRoundTrips(_ name: String) throws {
        let bytes = FuzzCorpus.read(Self.folder + "/" + name)
        guard let call = try? XMLRPCMethodCall.parse(bytes) else { return }
        let roomy = XMLRPCLimits(maxBytes: Int.max, maxDepth: 1_000, maxElements: Int.max, maxStringBytes: Int.max)
        let again = try XMLRPCMethodCall.parse(call.serialized, limits: roomy)
        #expect(again.methodName == call.methodName)
        #expect(again.params.count == call.params.count)
        let third = try XMLRPCMethodCall.parse(again.serialized, limits: roomy)
        #expect(third.serialized == again.serialized, "the written form is a fixed point")
    }
}
