import ArgumentParser

/// `glanced`: a Glances v2 XML-RPC server. With no subcommand it serves (`glanced -s` works too).
@main
struct Glanced: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glanced",
        abstract: "A Glances v2 XML-RPC server: system stats for `glances -c`, scripts and checks.",
        version: GlancedVersion.string,
        subcommands: [Serve.self, Dump.self, HashPassword.self],
        defaultSubcommand: Serve.self
    )
}

/// The version `glanced --version` prints.
enum GlancedVersion {
    static let string = "0.1.0"
}
