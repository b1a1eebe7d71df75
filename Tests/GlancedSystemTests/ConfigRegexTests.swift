import GlancedSystem
import Testing

@Suite struct ConfigRegexTests {
    @Test(arguments: [
        // Glances' shipped and documented patterns, and Python syntax with a POSIX form.
        (".*python.*", "/usr/bin/python3 -m http.server", true),
        (".*python.*", "/usr/sbin/sshd -D", false),
        ("^/usr/sbin/sshd", "/usr/sbin/sshd -D", true),
        ("^/usr/sbin/sshd", "sshd: /usr/sbin/sshd", false),  // re.search: anywhere, but ^ is the start
        ("/usr/sbin/sshd", "sshd: /usr/sbin/sshd", true),
        ("sshd$", "/usr/sbin/sshd", true),
        (".*nginx.*|.*httpd.*", "/usr/sbin/httpd -k start", true),
        ("worker \\d+", "postgres: worker 12", true),
        ("worker \\d+", "postgres: worker x", false),
        ("\\D{3}", "123", false),
        ("a[\\d]b", "a7b", true),
        ("\\sdaemon", "x daemon", true),
        ("\\w+\\.py", "run script.py", true),
        ("(?:java|kotlin) -jar", "kotlin -jar app.jar", true),
        (".*?ssh.*?", "openssh", true),
        ("a{2,3}", "caab", true),
        ("\\.", "a.b", true),
        ("\\.", "ab", false),
        ("[]x]", "]", true),
        ("tab\\there", "tab\there", true),
    ])
    func searchesAsPythonsReSearch(pattern: String, text: String, matches: Bool) throws {
        let regex = try #require(ConfigRegex(pattern))
        #expect(regex.matches(text) == matches)
    }

    @Test func wholePatternsMatchAllOfTheText() throws {
        let loop = try #require(ConfigRegex("loop\\d+", whole: true))
        #expect(loop.matches("loop0"))
        #expect(!loop.matches("loop0p1x"))
        #expect(!loop.matches("xloop0"))
        let either = try #require(ConfigRegex("lo|docker.*", whole: true))
        #expect(either.matches("lo"))
        #expect(either.matches("docker0"))
        #expect(!either.matches("eth0lo"), "the alternation is grouped before anchoring")
    }

    @Test(arguments: ["[z-a]", "(unclosed", "a)(", "(?=lookahead)", "(?i)flags", "(a)\\1", "\\Atext", "[abc", "x\\"])
    func patternsWithNoPOSIXFormDoNotCompile(pattern: String) {
        #expect(ConfigRegex(pattern) == nil)
    }

    /// A backtracking engine spends time quadratic in the text on `.*x.*` with no x; glibc's does not. 200 KB
    /// of command line would take a backtracker minutes; here it returns (no timing is asserted).
    @Test func aLongCommandLineIsMatchedInOnePass() throws {
        let regex = try #require(ConfigRegex(".*needle.*"))
        let haystack = String(repeating: "a", count: 200_000)
        #expect(!regex.matches(haystack))
        #expect(regex.matches(haystack + "needle"))
    }
}

@Suite struct ConfigRegexCostTests {
    /// glibc's compiler copies repeated parts out: these would take seconds and gigabytes (a fuzzed
    /// glances.conf found the stacked one). They are refused, as Python refuses stacked quantifiers.
    @Test(arguments: [
        "b++", "b+++++++++++++++++++++++++++++++++++", "a**", "a*{2}", "b{1,30000}", "(b{1,100}){1,100}",
        "((b{1,20}){1,20}){1,20}", "x{2000}",
    ])
    func costlyPatternsAreRefused(pattern: String) {
        #expect(ConfigRegex(pattern) == nil)
    }

    @Test(arguments: [
        ("b{1,100}", 100), ("(b{1,10}){1,10}", 100), ("abc", 3), ("a*", 2), ("(ab)+", 4), ("[]a-z]{3}", 3),
        ("[[:digit:]]{1,3}\\.[0-9]{1,3}", 7), ("x{,5}", 5),
    ])
    func expansionCountsCopiedAtoms(pattern: String, atoms: Int) {
        #expect(ConfigRegex.expansion(of: pattern) == atoms)
    }

    @Test func everydayPatternsStayWellUnderTheLimit() throws {
        for pattern in [
            ".*python.*", "^/usr/sbin/(sshd|nginx)", "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", "loop\\d+",
        ] {
            _ = try #require(ConfigRegex(pattern), "\(pattern)")
        }
    }
}
