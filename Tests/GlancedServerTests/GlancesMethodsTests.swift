import GlancedServer
import GlancedStats
import GlancedTestSupport
import Testing

@Suite struct GlancesServerTests {
    @Test func initAnswersTheProtocolVersion() async throws {
        try await withServer { port throws in
            #expect(try call(port, "init") == .string("2.0"))
        }
    }

    @Test func getAllPluginsListsTheTwentyOnePluginsInAStableOrder() async throws {
        try await withServer { port throws in
            let first = try call(port, "getAllPlugins").json()
            #expect(first == .array(PluginRegistry.names.map { .string($0) }))
            #expect(first.items.count == 21)
            #expect(try call(port, "getAllPlugins").json() == first)
        }
    }

    @Test func getAllHoldsEveryPluginButMonitor() async throws {
        try await withServer { port throws in
            let all = try call(port, "getAll").json()
            #expect(all.keys == PluginRegistry.names.filter { $0 != "monitor" })
            #expect(all["mem"]?["total"]?.intValue == Int((ProcReads.meminfoKiB("MemTotal") ?? 0) * 1024))
        }
    }

    @Test(arguments: ["getCpu", "getcpu", "getCPU"])
    func gettersAreCaseInsensitive(method: String) async throws {
        try await withServer { port throws in
            let cpu = try call(port, method).json()
            #expect(cpu["idle"]?.doubleValue != nil)
            #expect(cpu["cpucore"]?.intValue == ProcReads.cpuLines())
        }
    }

    @Test func getAllMonitoredEqualsGetMonitor() async throws {
        try await withServer { port throws in
            #expect(try call(port, "getAllMonitored").json() == (try call(port, "getMonitor").json()))
        }
    }

    @Test func unknownMethodsAreFaultsThatChangeNothing() async throws {
        try await withServer { port throws in
            let plugins = try call(port, "getAllPlugins")
            #expect(try call(port, "fooBar") == .fault(code: 1, message: #"method "fooBar" is not supported"#))
            #expect(try call(port, "getFoo") == .fault(code: 1, message: #"method "getFoo" is not supported"#))
            #expect(try call(port, "getAllPlugins") == plugins)
            #expect(try call(port, "getAll").json()["cpu"] != nil)
            #expect(try call(port, "getCpu").json()["idle"] != nil)
        }
    }

    @Test func argumentsToAZeroArgumentMethodAreAFaultNamingIt() async throws {
        try await withServer { port throws in
            guard case .fault(let code, let message) = try call(port, "getCpu", ["x"]) else {
                Issue.record("not a fault")
                return
            }
            #expect(code == 1)
            #expect(message.contains("getCpu"))
        }
    }

    @Test func introspection() async throws {
        try await withServer { port throws in
            let methods = String(decoding: try post(port, xmlCall("system.listMethods")).body, as: UTF8.self)
            for name in [
                "getAll", "getAllLimits", "getAllMonitored", "getAllPlugins", "init", "getCpu", "system.listMethods",
            ] {
                #expect(methods.contains("<value><string>\(name)</string></value>"), "\(name) listed")
            }
            #expect(try call(port, "system.methodSignature", ["getAll"]) == .string("signatures not supported"))
            #expect(try call(port, "system.methodHelp", ["getAll"]).string?.isEmpty == false)
        }
    }

    @Test(arguments: [
        "", "<?xml version='1.0'?><methodCall><methodName>init", "not xml at all",
        "<foo><methodName>init</methodName></foo>",
        "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><methodCall><methodName>&a;</methodName></methodCall>",
        "<?xml version='1.0'?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><methodCall><methodName>init</methodName><params><param><value>&xxe;</value></param></params></methodCall>",
    ])
    func malformedBodiesAreParseFaults(body: String) async throws {
        try await withServer { port throws in
            let reply = try post(port, Array(body.utf8))
            #expect(reply.status == 200)
            guard case .fault(let code, let message) = RPCResult(reply.body) else {
                Issue.record("not a fault: \(reply.text)")
                return
            }
            #expect(code == -32700)
            #expect(!message.contains("root:"))
            #expect(try call(port, "init") == .string("2.0"), "still serving")
        }
    }

    @Test func deeplyNestedDocumentIsRefusedQuickly() async throws {
        try await withServer { port throws in
            var body = "<?xml version='1.0'?><methodCall><methodName>init</methodName><params><param>"
            body += String(repeating: "<value><array><data>", count: 33_335)
            let reply = try post(port, Array(body.utf8))
            #expect([200, 413].contains(reply.status))
            if reply.status == 200 {
                guard case .fault = RPCResult(reply.body) else {
                    Issue.record("not a fault")
                    return
                }
            }
            #expect(try call(port, "init") == .string("2.0"))
        }
    }

    @Test func getAllLimitsIsAnArrayAlignedWithThePlugins() async throws {
        try await withServer { port throws in
            let limits = try call(port, "getAllLimits").json().items
            let names = PluginRegistry.names
            #expect(limits.count == names.count)
            let cpu = try #require(names.firstIndex(of: "cpu"))
            #expect(limits[cpu]["cpu_user_careful"] == .double(50.0))
            let load = try #require(names.firstIndex(of: "load"))
            #expect(limits[load]["load_critical"] == .double(5.0))
            let help = try #require(names.firstIndex(of: "help"))
            #expect(limits[help] == .object([]))
        }
    }

    @Test func getAllLimitsOfTheShippedDefaultsByteForByte() async throws {
        try await withServer { port throws in
            let expected = """
                [{}, {}, {}, {"cpu_user_careful": 50.0, "cpu_user_warning": 70.0, "cpu_user_critical": 90.0, \
                "cpu_system_careful": 50.0, "cpu_system_warning": 70.0, "cpu_system_critical": 90.0, \
                "cpu_iowait_careful": 50.0, "cpu_iowait_warning": 70.0, "cpu_iowait_critical": 90.0, \
                "cpu_steal_careful": 50.0, "cpu_steal_warning": 70.0, "cpu_steal_critical": 90.0}, {}, \
                {"fs_careful": 50.0, "fs_warning": 70.0, "fs_critical": 90.0}, {}, {}, \
                {"load_careful": 0.7, "load_warning": 1.0, "load_critical": 5.0}, \
                {"mem_careful": 50.0, "mem_warning": 70.0, "mem_critical": 90.0}, \
                {"memswap_careful": 50.0, "memswap_warning": 70.0, "memswap_critical": 90.0}, {}, {}, {}, \
                {"percpu_user_careful": 50.0, "percpu_user_warning": 70.0, "percpu_user_critical": 90.0, \
                "percpu_system_careful": 50.0, "percpu_system_warning": 70.0, "percpu_system_critical": 90.0, \
                "percpu_iowait_careful": 50.0, "percpu_iowait_warning": 70.0, "percpu_iowait_critical": 90.0}, {}, \
                {"processlist_cpu_careful": 50.0, "processlist_cpu_warning": 70.0, "processlist_cpu_critical": 90.0, \
                "processlist_mem_careful": 50.0, "processlist_mem_warning": 70.0, "processlist_mem_critical": 90.0}, {}, \
                {"sensors_temperature_core_careful": 60.0, "sensors_temperature_core_warning": 70.0, \
                "sensors_temperature_core_critical": 80.0, "sensors_temperature_hdd_careful": 45.0, \
                "sensors_temperature_hdd_warning": 52.0, "sensors_temperature_hdd_critical": 60.0, \
                "sensors_battery_careful": 80.0, "sensors_battery_warning": 90.0, "sensors_battery_critical": 95.0}, {}, {}]
                """
            #expect(try call(port, "getAllLimits") == .string(expected))
        }
    }
}
