import GlancedServer
import GlancedStats
import GlancedXMLRPC
import Testing

@Suite struct GenerationMethodsTests {
    static func methods(_ generation: GlancesGeneration) -> GlancesMethods {
        GlancesMethods(
            plugins: PluginRegistry.names(in: generation), config: .defaults, generation: generation,
            browserPlugins: PluginRegistry.names(in: .v4))
    }

    static func call(_ name: String, _ params: [XMLRPCValue] = []) -> XMLRPCMethodCall {
        XMLRPCMethodCall(methodName: name, params: params)
    }

    @Test(arguments: [(GlancesGeneration.v2, "2.0"), (.v3, "3.3.1"), (.v4, "4.5.8")])
    func initAnswersTheGenerationsVersion(generation: GlancesGeneration, version: String) {
        #expect(Self.methods(generation).route(Self.call("init")) == .constant(XMLRPCResponse.string(version)))
    }

    @Test func eachGenerationListsItsOwnPlugins() {
        let v2 = PluginRegistry.names(in: .v2)
        let v3 = PluginRegistry.names(in: .v3)
        #expect(v2 == PluginRegistry.names && v2.count == 21)
        #expect(!v2.contains("quicklook") && !v2.contains("ports"))
        for name in ["hddtemp", "batpercent", "monitor"] { #expect(!v3.contains(name)) }
        #expect(v3.contains("quicklook") && v3.contains("ports") && v3.contains("network") && v3.contains("diskio"))
        #expect(PluginRegistry.names(in: .v4) == v3)
        var plugins = JSONWriter()
        plugins.array { json in
            for name in v3 { json.value(name) }
        }
        #expect(Self.methods(.v3).route(Self.call("getAllPlugins")) == .constant(XMLRPCResponse.string(plugins.bytes)))
        #expect(Self.methods(.v4).route(Self.call("getAll")) == .all)
        #expect(Self.methods(.v3).route(Self.call("getQuicklook")) == .plugin("quicklook"))
    }

    @Test(arguments: GlancesGeneration.allCases)
    func browserMethodsOnEveryPort(generation: GlancesGeneration) {
        let methods = Self.methods(generation)
        #expect(methods.route(Self.call("getCpu")) == .plugin("cpu"))
        #expect(methods.route(Self.call("getSystem")) == .plugin("system"))
        #expect(methods.route(Self.call("getPlugin", [.string("load")])) == .browserPlugin("load"))
        #expect(
            methods.route(Self.call("getPluginView", [.string("mem")]))
                == .view("mem", limits: GlancesConfig.defaults.section("mem")))
    }

    @Test(arguments: GlancesGeneration.allCases)
    func unknownMethodsAndPluginsAreFaults(generation: GlancesGeneration) {
        let methods = Self.methods(generation)
        for call in [
            Self.call("getPlugin", [.string("hddtemp")]), Self.call("getPlugin"), Self.call("getPluginView", [.int(1)]),
            Self.call("getFoo"), Self.call("plugin"),
        ] {
            guard case .fault(let code, _) = methods.route(call) else {
                Issue.record("\(call.methodName) is not a fault")
                continue
            }
            #expect(code == 1)
        }
        // The table is a value: nothing a call does changes it.
        #expect(methods.route(Self.call("getCpu")) == .plugin("cpu"))
    }

    @Test func v2IntrospectionListIsUnchanged() {
        let names = GlancesMethods.methodNames(plugins: PluginRegistry.names)
        #expect(!names.contains("getPlugin") && names.contains("getAllMonitored"))
        let v4 = GlancesMethods.methodNames(plugins: PluginRegistry.names(in: .v4), browser: true)
        #expect(v4.contains("getPlugin") && v4.contains("getPluginView") && !v4.contains("getAllMonitored"))
    }

    @Test func listenersParse() {
        #expect(ServerConfiguration.Listener("61210:3") == ServerConfiguration.Listener(port: 61210, generation: .v3))
        #expect(ServerConfiguration.Listener("61210:5") == nil)
        #expect(ServerConfiguration.Listener("70000:4") == nil)
        #expect(ServerConfiguration.Listener("61210") == nil)
    }
}
