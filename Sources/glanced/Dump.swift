import GlancedServer
import GlancedStats
import Glibc
import Logging

/// `glanced dump PLUGIN...`: takes samples in this process and prints plugins' JSON, one per line.
///
/// Hidden: it exists so that tests can run the real collectors inside a private mount namespace
/// (`unshare -m` with a fake `/sys/class`), which a multithreaded test runner cannot enter itself.
struct Dump {
    static let spec = CommandSpec(
        name: "dump",
        abstract: "Print plugins' JSON after some samples (for tests).",
        options: [
            .init(names: ["--samples"], value: "N", help: "Samples to take. (default: 1)"),
            .init(names: ["--interval"], value: "SECONDS", help: "Seconds between samples. (default: 0.2)"),
            .init(names: ["-C", "--config"], value: "FILE", help: "Configuration file."),
        ],
        positionals: "PLUGIN")

    var plugins: [String]
    var samples: Int
    var interval: Double
    var config: String?

    init(arguments: ParsedArguments) throws(UsageError) {
        plugins = arguments.positionals
        samples = try arguments.int("--samples") ?? 1
        interval = try arguments.double("--interval") ?? 0.2
        config = arguments.string("--config")
        guard interval >= 0, interval.isFinite else { throw UsageError("--interval must be a number of seconds") }
    }

    func run() throws(UsageError) -> Int32 {
        let configuration: GlancesConfig
        do {
            configuration = try config.map { try GlancesConfig.load(path: $0) } ?? .defaults
        } catch {
            Stderr.line("glanced: \(error)")
            return ExitStatus.badConfiguration
        }
        let logger = Logger(label: "glanced", factory: { StreamLogHandler.standardError(label: $0) })
        let collector = StatsCollector(configuration: configuration.pluginConfiguration, logger: logger)
        let wanted = plugins.isEmpty ? collector.names : plugins.map { $0.lowercased() }
        for name in wanted where !collector.names.contains(name) {
            throw UsageError("unknown plugin \(name)")
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
        return ExitStatus.success
    }
}
