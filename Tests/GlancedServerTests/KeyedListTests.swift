import GlancedStats
import Testing

@testable import GlancedServer

/// REST v2's keyed lists (`GlancesAPI.withKeys`), written in one pass over the rendering, against the same
/// transformation made on the parsed document.
@Suite struct KeyedListTests {
    /// The entries of `document` with `"key": "<field>"` appended where an entry has a key field and no `key`,
    /// through the parsed tree: what the one-pass writer must produce, byte for byte.
    static func keyedThroughTheTree(_ document: [UInt8]) -> [UInt8] {
        guard document.first == UInt8(ascii: "["), let elements = JSONNode.parse(document)?.elements else {
            return document
        }
        let keyed = elements.map { entry -> JSONNode in
            guard var members = entry.members, entry["key"] == nil,
                let field = GlancesAPI.keyFields.first(where: { entry[$0] != nil })
            else { return entry }
            var name = JSONWriter()
            name.value(field)
            members.append(JSONNode.Member(key: "key", value: .scalar(name.bytes)))
            return .object(members)
        }
        return JSONNode.array(keyed).bytes
    }

    @Test func everyListOfARealSampleIsKeyedAsThroughTheTree() {
        let sample = StatsCollector(configuration: GlancesConfig.defaults.pluginConfiguration).sample().sample
        var lists = 0
        for position in sample.names.indices {
            let document = Glances2JSON.plugin(sample, at: position)
            let keyed = GlancesAPI.withKeys(document)
            #expect(keyed == Self.keyedThroughTheTree(document), "\(sample.names[position])")
            if document.first == UInt8(ascii: "["), document.count > 2 { lists += 1 }
        }
        #expect(lists >= 4, "processlist, network, diskio, fs, percpu, … are lists")
        let processes = GlancesAPI.withKeys(Glances2JSON.plugin(sample, at: sample.position(of: "processlist")!))
        let entries = JSONNode.parse(processes)?.elements ?? []
        #expect(!entries.isEmpty && entries.allSatisfy { $0["key"]?.string == "pid" })
    }

    @Test func awkwardDocuments() {
        for text in [
            "[]", "{}", "[1, 2]", #"[{"a": 1}]"#, #"[{"key": "x", "pid": 1}]"#, #"[{"pid": 1}, {"disk_name": "sda"}]"#,
            #"[{"label": "a", "interface_name": "eth0"}]"#, #"[{"x": {"pid": 1}, "y": [{"pid": 2}]}]"#,
            #"[{"a\"b": "pid\":", "description": "}{[]\\"}]"#, #"[{"pid": 1}, [], "pid", {}]"#,
        ] {
            let document = Array(text.utf8)
            #expect(GlancesAPI.withKeys(document) == Self.keyedThroughTheTree(document), "\(text)")
        }
        // Spacing other than JSONWriter's is kept as it is (the tree would write its own): the same document.
        let compact = Array("[{\"pid\":1}]".utf8)
        #expect(JSONNode.parse(GlancesAPI.withKeys(compact)) == JSONNode.parse(Self.keyedThroughTheTree(compact)))
    }
}
