import GlancedServer
import Glibc

/// Where the server's password comes from: a file in Glances' stored form, or the terminal.
enum PasswordSetup {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the stored forms from `path`: one `salt$hash` line per scheme (a Glances `.pwd` file of either
    /// scheme, or both as `glanced hash-password` writes them).
    static func fromFile(_ path: String) throws -> StoredPassword {
        guard let file = fopen(path, "r") else {
            throw Failure(description: "\(path): cannot read password file: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 64 * 1024 {
            let got = fread(&chunk, 1, chunk.count, file)
            if got <= 0 { break }
            bytes += chunk[0..<got]
        }
        guard let stored = StoredPassword(stored: String(decoding: bytes, as: UTF8.self)) else {
            throw Failure(
                description: "\(path): not a stored password (want salt$hash lines: sha256 or PBKDF2, 64 or 256 hex)")
        }
        return stored
    }

    /// The saved password of `username` when there is one; else asks twice on the terminal and offers to save it.
    static func interactive(username: String) throws -> StoredPassword {
        let file = savedPasswordPath(username: username)
        if let file, access(file, R_OK) == 0 { return try fromFile(file) }
        guard isatty(0) != 0 else {
            throw Failure(description: "--password needs a terminal to ask for the password (or use --password-file)")
        }
        guard let first = ask("Define the password for the glanced server: "), !first.isEmpty else {
            throw Failure(description: "no password given")
        }
        guard let second = ask("Password (confirm): "), second == first else {
            throw Failure(description: "the passwords do not match")
        }
        let stored = StoredPassword(plain: first, salt: randomSalt(), pbkdf2Salt: randomSalt())
        if let file, let answer = askVisible("Do you want to save the password? [Yes/No]: "),
            answer.lowercased().hasPrefix("y")
        {
            try save(stored, to: file)
            Stderr.line("glanced: password saved to \(file)")
        }
        return stored
    }

    /// `$XDG_CONFIG_HOME/glanced/<username>.pwd` (or under `~/.config`).
    private static func savedPasswordPath(username: String) -> String? {
        let environment = Environment.all()
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return "\(xdg)/glanced/\(username).pwd" }
        if let home = environment["HOME"], !home.isEmpty { return "\(home)/.config/glanced/\(username).pwd" }
        return nil
    }

    private static func save(_ stored: StoredPassword, to path: String) throws {
        if let slash = path.lastIndex(of: "/") {
            let directory = String(path[..<slash])
            // mkdir -p for the last two levels (~/.config/glanced).
            if let parentSlash = directory.lastIndex(of: "/") { mkdir(String(directory[..<parentSlash]), 0o700) }
            mkdir(directory, 0o700)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Failure(description: "\(path): cannot save the password: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let line = Array((stored.stored + "\n").utf8)
        guard line.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == line.count else {
            throw Failure(description: "\(path): cannot save the password: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a line from the terminal without echo.
    static func ask(_ prompt: String) -> String? {
        var saved = termios()
        let hasTerminal = tcgetattr(0, &saved) == 0
        if hasTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if hasTerminal {
                tcsetattr(0, TCSAFLUSH, &saved)
                Stderr.line("")
            }
        }
        return askVisible(prompt)
    }

    private static func askVisible(_ prompt: String) -> String? {
        var bytes = Array(prompt.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(0, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
            if line.count > 4096 { break }
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    /// 32 hex characters from the kernel's random source, as Glances' `uuid4().hex`.
    static func randomSalt() -> String {
        var raw = [UInt8](repeating: 0, count: 16)
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(fd >= 0, "cannot open /dev/urandom")
        defer { close(fd) }
        let got = raw.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        precondition(got == 16, "short read from /dev/urandom")
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: raw.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}

/// `glanced hash-password`: prints the stored forms of a password read from standard input: the sha256 line
/// (Glances 2.x and 3.0–3.3 clients) then the PBKDF2 line (3.4+ and 4.x clients).
enum HashPassword {
    static let spec = CommandSpec(
        name: "hash-password",
        abstract: "Print the stored forms of a password read from standard input (for --password-file).",
        discussion: """
            Two lines: salt$sha256 (for Glances 2.x and 3.0-3.3 clients) and salt$pbkdf2 (for Glances 3.4+ \
            and 4.x clients). A Glances .pwd file of either form is also accepted by --password-file.
            """,
        options: [])

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        let plain: String
        if isatty(0) != 0 {
            plain = PasswordSetup.ask("Password: ") ?? ""  // no echo on a terminal
        } else {
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while read(0, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
            plain = String(decoding: line, as: UTF8.self)
        }
        guard !plain.isEmpty else { throw UsageError("no password on standard input") }
        print(
            StoredPassword(plain: plain, salt: PasswordSetup.randomSalt(), pbkdf2Salt: PasswordSetup.randomSalt())
                .stored)
        return ExitStatus.success
    }
}
