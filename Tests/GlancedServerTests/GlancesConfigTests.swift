import GlancedServer
import GlancedStats
import GlancedTestSupport
import Testing

@Suite struct GlancesConfigTests {
    @Test func parsesSectionsCommentsDefaultsAndCase() throws {
        let text = """
            # a comment
            ; another
            [DEFAULT]
            shared = 1

            [Mem]
            CAREFUL = 10
            warning: 20
              
            [network]
            hide = lo, docker.*
            """
        let config = try GlancesConfig.parse(text, path: "test.conf")
        #expect(config.section("mem")["careful"] == "10")
        #expect(config.section("mem")["warning"] == "20")
        #expect(config.section("mem")["critical"] == "90", "a default the file does not override")
        #expect(config.section("mem")["shared"] == "1", "[DEFAULT] options apply to every section")
        #expect(config.section("network")["hide"] == "lo, docker.*")
        #expect(GlancesConfig.list("lo, docker.*") == ["lo", "docker.*"])
    }

    @Test(arguments: [
        ("key = 1\n", 1, "before any [section]"),
        ("[mem]\njust words\n", 2, "expected 'key = value'"),
        ("[mem\n", 1, "malformed section header"),
        ("[mem]\ncareful = lots\n", 2, "is not a number"),
        ("[network]\nhide = lo,(unclosed\n", 2, "does not compile"),
        ("[monitor]\nlist_1_regex = [z-a]\n", 2, "does not compile"),
        ("[monitor]\nlist_1_regex = (?<=x)y\n", 2, "does not compile"),
        ("[diskio]\nhide = sda2,sdb++++++++++++++++++++++++++++++++\n", 2, "does not compile"),
        ("[fs]\n\nhide = /x{1,30000}\n", 3, "does not compile"),
        ("[mem]\n  indented = 1\n", 2, "unexpected indented line"),
        ("[hddtemp]\nport = 99999\n", 2, "is not a port"),
    ])
    func badFilesNameTheFileLineAndProblem(text: String, line: Int, problem: String) {
        #expect {
            try GlancesConfig.parse(text, path: "/etc/glanced/glanced.conf")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.path == "/etc/glanced/glanced.conf" && error.line == line && error.message.contains(problem)
                && error.description.hasPrefix("/etc/glanced/glanced.conf:\(line): ")
        }
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: ConfigError.self) { try GlancesConfig.load(path: "/nonexistent/glanced.conf") }
    }

    @Test func limitsAreFloatsAndListsWithPluginPrefixes() throws {
        let config = try GlancesConfig.parse("[network]\nhide = lo, eth1\nwlan0_rx_careful = 4000000\n", path: "x")
        var json = JSONWriter()
        config.writeLimits(of: "network", into: &json)
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"network_hide": ["lo", "eth1"], "network_wlan0_rx_careful": 4000000.0}"#)
        var defaults = JSONWriter()
        GlancesConfig.defaults.writeLimits(of: "load", into: &defaults)
        #expect(
            String(decoding: defaults.bytes, as: UTF8.self)
                == #"{"load_careful": 0.7, "load_warning": 1.0, "load_critical": 5.0}"#)
    }

    @Test func theGlancedSectionSetsTheServerLimits() throws {
        let text = """
            [glanced]
            max_connections = 1024
            idle_timeout = 60
            header_timeout = 2.5
            max_body = 131072
            listen = here
            """
        let config = try GlancesConfig.parse(text, path: "x")
        #expect(
            config.serverLimits
                == GlancesConfig.ServerLimits(
                    maxBodyBytes: 131_072, maxConnections: 1_024, idleTimeout: 60, headerTimeout: 2.5))
        #expect(config.ignored.map { "\($0.section) \($0.key ?? "")" } == ["glanced listen"])
        #expect(GlancesConfig.defaults.serverLimits == GlancesConfig.ServerLimits())
    }

    @Test(arguments: [
        ("[glanced]\nmax_connections = 0\n", "max_connections: '0' is not a whole number, at least 1"),
        ("[glanced]\nmax_connections = many\n", "is not a whole number"),
        ("[glanced]\nheader_timeout = -1\n", "header_timeout: '-1' is not a positive number of seconds"),
        ("[glanced]\nidle_timeout = inf\n", "is not a positive number of seconds"),
        ("[glanced]\nmax_body = 100\n", "at least 1024"),
    ])
    func badServerLimitsNameTheLine(text: String, problem: String) {
        #expect {
            try GlancesConfig.parse(text, path: "g.conf")
        } throws: { error in
            (error as? ConfigError).map { $0.line == 2 && $0.description.contains(problem) } ?? false
        }
    }
}
