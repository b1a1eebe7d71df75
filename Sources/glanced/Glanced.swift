import Glibc

/// `glanced`: serves one sample of the machine to every Glances client, REST, Prometheus and the web page.
/// With no subcommand it serves (`glanced -s` works too, as for `glances -s`).
@main
enum Glanced {
    static let program = "glanced"
    static let abstract = "System stats for every Glances client, the Glances REST API, Prometheus and a web page."

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--version" {
            print(GlancedVersion.string)
            exit(ExitStatus.success)
        }
        if arguments.first == "-h" || arguments.first == "--help" || arguments.first == "help" {
            // `glanced help serve` is `glanced serve --help`.
            let named = arguments.count > 1 ? subcommands.first { $0.name == arguments[1] } : nil
            print(named?.help(program: program) ?? help, terminator: "")
            exit(ExitStatus.success)
        }
        let named = arguments.first.flatMap { name in subcommands.first { $0.name == name } }
        if named != nil { arguments.removeFirst() }
        let spec = named ?? subcommands[0]
        do {
            let parsed = try spec.parse(arguments)
            if parsed.helpAsked {
                print(spec.help(program: program), terminator: "")
                exit(ExitStatus.success)
            }
            switch spec.name {
            case HashPassword.spec.name: exit(try HashPassword.run(parsed))
            case Dump.spec.name: exit(try Dump(arguments: parsed).run())
            default: exit(try await Serve(arguments: parsed).run())
            }
        } catch {
            Stderr.line("\(program): error: \(error)")
            Stderr.line("Usage: \(spec.usage(program: program))")
            Stderr.line("  See '\(program)\(spec.name.isEmpty ? "" : " \(spec.name)") --help'.")
            exit(ExitStatus.usage)
        }
    }

    /// Each subcommand's grammar (the first is the default); `dump` is left out of the help.
    static let subcommands = [Serve.spec, HashPassword.spec, Dump.spec]

    static var help: String {
        """
        \(abstract)

        Usage: \(program) [serve] [options]
               \(program) hash-password
               \(program) --version

        Subcommands:
          serve           \(Serve.spec.abstract) (the default)
          hash-password   \(HashPassword.spec.abstract)

        See '\(program) serve --help' for the server's options.

        """
    }
}

/// The version `glanced --version` prints.
enum GlancedVersion {
    static let string = "0.1.0"
}
