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
