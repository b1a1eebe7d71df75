import ArgumentParser
import GlancedServer
import GlancedStats
import Glibc
import Logging

/// `glanced dump PLUGIN...`: takes samples in this process and prints plugins' JSON, one per line.
///
/// Hidden: it exists so that tests can run the real collectors inside a private mount namespace
/// (`unshare -m` with a fake `/sys/class`), which a multithreaded test runner cannot enter itself.
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print plugins' JSON after some samples (for tests).",
        shouldDisplay: false
    )

    @Argument(help: "Plugin names (all when none).")
    var plugins: [String] = []

    @Option(help: "Samples to take.")
    var samples = 1

    @Option(help: "Seconds between samples.")
    var interval = 0.2

    @Option(name: [.customShort("C"), .long], help: "Configuration file.")
    var config: String?

    func run() throws {
        let configuration = try config.map { try GlancesConfig.load(path: $0) } ?? .defaults
        let logger = Logger(label: "glanced", factory: { StreamLogHandler.standardError(label: $0) })
        let collector = StatsCollector(configuration: configuration.pluginConfiguration, logger: logger)
        let wanted = plugins.isEmpty ? collector.names : plugins.map { $0.lowercased() }
        for name in wanted where !collector.names.contains(name) {
            throw ValidationError("unknown plugin \(name)")
        }
        var snapshot = collector.sample()
        for _ in 1..<max(samples, 1) {
            usleep(UInt32(interval * 1_000_000))
            snapshot = collector.sample()
        }
        for name in wanted {
            if let position = snapshot.sample.position(of: name) {
                print(String(decoding: Glances2JSON.plugin(snapshot.sample, at: position), as: UTF8.self))
            }
        }
    }
}
