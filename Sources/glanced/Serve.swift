import Dispatch
import GlancedServer
import Glibc
import Logging

/// Runs the server until SIGTERM or SIGINT.
struct Serve {
    static let spec = CommandSpec(
        name: "serve",
        abstract: "Serve stats on one port.",
        discussion: """
            Flags follow `glances -s`: a Glances server command line works unchanged. The configuration \
            file is looked up as --config, then $XDG_CONFIG_HOME/glanced/glanced.conf (or \
            ~/.config/glanced/glanced.conf), /etc/glanced/glanced.conf, /etc/glances/glances.conf.
            """,
        options: [
            .init(names: ["-s"], help: "Server mode (the only mode; accepted for `glances -s` compatibility)."),
            .init(
                names: ["-B", "--bind"], value: "ADDRESS", help: "Address to bind (IPv4 or IPv6). (default: 0.0.0.0)"),
            .init(names: ["-p", "--port"], value: "PORT", help: "TCP port. (default: 61209)"),
            .init(
                names: ["-t", "--time"], value: "SECONDS",
                help: "Refresh interval: seconds a sample stays current. (default: 1)"),
            .init(names: ["-C", "--config"], value: "FILE", help: "Configuration file (glances.conf format)."),
            .init(
                names: ["--xmlrpc-api"], value: "GENERATION",
                help: "What the main port's XML-RPC speaks: 2 (Glances 2.x, the default), 3 (3.x) or 4 (4.x)."),
            .init(
                names: ["--xmlrpc-listen"], value: "PORT:GENERATION",
                help: "A further XML-RPC port on the same address (61210:3); repeatable.", repeatable: true),
            .init(
                names: ["--password"],
                help: "Require a password: prompt for it (or use the saved one) and offer to save it."),
            .init(
                names: ["--password-file"], value: "FILE",
                help: "Require the password stored in FILE (Glances' salt$hash form)."),
            .init(
                names: ["--username"], value: "NAME",
                help: "User name clients send with the password. (default: glances)"),
            // The limits below default to the configuration file's [glanced] section, then to the value in the help.
            .init(
                names: ["--max-body"], value: "BYTES",
                help: "Largest request body in bytes; larger ones get 413. (default: 65536)"),
            .init(
                names: ["--max-connections"], value: "N",
                help: """
                    Most connections open at once; at the limit a new one replaces the one that has gone longest \
                    without completing a request. (default: what the open-files limit allows, at most 4096)
                    """),
            .init(
                names: ["--idle-timeout"], value: "SECONDS",
                help: "Seconds a silent connection is kept open. (default: 30)"),
            .init(
                names: ["--header-timeout"], value: "SECONDS",
                help: "Seconds a request head may take from its first byte; then the connection is closed. (default: 5)"
            ),
            .init(
                names: ["-d", "--debug"],
                help: "Log at debug level (what the configuration file holds that is ignored, …)."),
        ])

    var bind = "0.0.0.0"
    var port = 61209
    var time = 1.0
    var config: String?
    var xmlrpcAPI: String?
    var xmlrpcListen: [String] = []
    var password = false
    var passwordFile: String?
    var username = "glances"
    var maxBody: Int?
    var maxConnections: Int?
    var idleTimeout: Double?
    var headerTimeout: Double?
    var debug = false

    /// The options of a parsed command line, checked.
    init(arguments: ParsedArguments) throws(UsageError) {
        bind = arguments.string("--bind") ?? bind
        port = try arguments.int("--port") ?? port
        time = try arguments.double("--time") ?? time
        config = arguments.string("--config")
        xmlrpcAPI = arguments.string("--xmlrpc-api")
        xmlrpcListen = arguments.strings("--xmlrpc-listen")
        password = arguments.flag("--password")
        passwordFile = arguments.string("--password-file")
        username = arguments.string("--username") ?? username
        maxBody = try arguments.int("--max-body")
        maxConnections = try arguments.int("--max-connections")
        idleTimeout = try arguments.double("--idle-timeout")
        headerTimeout = try arguments.double("--header-timeout")
        debug = arguments.flag("--debug")
        try validate()
    }

    func validate() throws(UsageError) {
        guard (0...65535).contains(port) else { throw UsageError("port \(port) is not in 0...65535") }
        guard time > 0, time.isFinite else {
            throw UsageError("refresh time must be a positive number of seconds")
        }
        guard (maxBody ?? 1024) >= 1024 else { throw UsageError("--max-body must be at least 1024 bytes") }
        guard (maxConnections ?? 1) >= 1 else { throw UsageError("--max-connections must be at least 1") }
        guard idleTimeout.map({ $0 > 0 && $0.isFinite }) ?? true else {
            throw UsageError("--idle-timeout must be a positive number of seconds")
        }
        guard headerTimeout.map({ $0 > 0 && $0.isFinite }) ?? true else {
            throw UsageError("--header-timeout must be a positive number of seconds")
        }
        if let xmlrpcAPI, ServerConfiguration.generation(xmlrpcAPI) == nil {
            throw UsageError("--xmlrpc-api must be 2, 3 or 4")
        }
        for listen in xmlrpcListen where ServerConfiguration.Listener(listen) == nil {
            throw UsageError("--xmlrpc-listen \(listen): want PORT:GENERATION, e.g. 61210:3 (generation 2, 3 or 4)")
        }
        guard !(password && passwordFile != nil) else {
            throw UsageError("use either --password or --password-file, not both")
        }
    }

    /// Serves until SIGTERM or SIGINT; the exit status.
    func run() async -> Int32 {
        Memory.configureAllocator()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "glanced")
        logger.logLevel = debug ? .debug : .info
        // Every connection is a descriptor: take what the system allows before the connection limit is derived.
        let openFiles = GlancedService.raiseOpenFilesLimit()
        logger.debug("open-files limit", metadata: ["process.open_files_limit": "\(openFiles)"])

        var server = ServerConfiguration()
        server.host = bind
        server.port = port
        server.refreshInterval = time
        server.username = username
        server.version = GlancedVersion.string
        let configPath = GlancesConfig.locate(explicit: config, environment: Environment.all())
        do {
            if let configPath {
                server.config = try GlancesConfig.load(path: configPath)
                Self.reportIgnored(server.config, logger: logger)
            }
            // Read at start-up only: a reload keeps the limits the server started with.
            let limits = server.config.serverLimits
            server.maxBodyBytes = maxBody ?? limits.maxBodyBytes ?? server.maxBodyBytes
            server.maxConnections = maxConnections ?? limits.maxConnections
            server.idleTimeout = idleTimeout ?? limits.idleTimeout ?? server.idleTimeout
            server.headerTimeout = headerTimeout ?? limits.headerTimeout ?? server.headerTimeout
            if let generation = try xmlrpcAPI.flatMap(ServerConfiguration.generation)
                ?? server.config.xmlrpcGeneration()
            {
                server.generation = generation
            }
            server.listeners =
                xmlrpcListen.isEmpty
                ? try server.config.xmlrpcListeners() : xmlrpcListen.compactMap(ServerConfiguration.Listener.init)
            if let passwordFile {
                server.password = try PasswordSetup.fromFile(passwordFile)
            } else if password {
                server.password = try PasswordSetup.interactive(username: username)
            }
        } catch {
            Stderr.line("glanced: \(error)")
            return ExitStatus.badConfiguration
        }

        let service = GlancedService(configuration: server, logger: logger)
        // Signals are taken over before the server starts: a SIGTERM that arrives while it starts up still
        // gets a clean shutdown.
        let reloadLogger = logger
        let signals = Signals {
            // SIGHUP: reload the configuration file; a bad file is reported and the old one kept.
            guard let configPath else { return }
            do {
                let config = try GlancesConfig.load(path: configPath)
                Self.reportIgnored(config, logger: reloadLogger)
                service.reload(config)
            } catch {
                reloadLogger.error(
                    "configuration not reloaded, keeping the previous one", metadata: ["error": "\(error)"])
            }
        }
        do {
            _ = try await service.start()
        } catch {
            Stderr.line("glanced: \(error)")
            await service.shutdown()
            return ExitStatus.failure
        }
        await signals.termination()
        await service.shutdown()
        return ExitStatus.success
    }

    /// Says once, at debug level, what of the configuration file glanced does not use.
    static func reportIgnored(_ config: GlancesConfig, logger: Logger) {
        for (section, key, line) in config.ignored {
            logger.debug(
                key == nil ? "configuration section not used, ignored" : "configuration option not used, ignored",
                metadata: [
                    "config.file": "\(config.path ?? "")", "config.line": "\(line)", "config.section": "\(section)",
                    "config.key": "\(key ?? "")",
                ])
        }
    }
}

/// SIGTERM and SIGINT end the server, SIGHUP calls `reload`; handled from creation on, so one that
/// arrives before ``termination()`` is awaited is not lost.
final class Signals {
    private let sources: [any DispatchSourceSignal]
    private let terminated: AsyncStream<Void>

    init(reload: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "glanced.signals")
        let (terminated, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.terminated = terminated
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT, SIGHUP] {
            // Dispatch sees a signal only when its default action is off.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            if number == SIGHUP {
                source.setEventHandler(handler: reload)
            } else {
                source.setEventHandler { continuation.yield() }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Returns at the first SIGTERM or SIGINT (at once if one came already); SIGHUP is ignored from then on.
    func termination() async {
        for await _ in terminated { break }
        for source in sources { source.cancel() }
    }
}
