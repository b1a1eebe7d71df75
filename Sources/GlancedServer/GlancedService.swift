import GlancedHTTP
import GlancedStats
import GlancedSystem
import GlancedWeb
package import Logging

/// The running server: the sample cache, the method tables and the HTTP listeners, wired together.
///
/// The main port speaks ``ServerConfiguration/generation``; each further listener its own generation. All of them
/// share one sample cache (one sample per interval, whatever the number of ports and clients).
package final class GlancedService: Sendable {
    private let http: HTTPServer
    private let cache: StatsCache
    private let logger: Logger
    private let configuration: ServerConfiguration
    private let responder: RPCResponder
    private let rest: RESTResponder
    /// The connection limit applied.
    private let maxConnections: Int
    /// The further listeners, aligned with ``ServerConfiguration/listeners``.
    private let extra: [(http: HTTPServer, responder: RPCResponder)]

    /// Wires a server for `configuration`; nothing listens until ``start()``.
    package init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let collector = StatsCollector(configuration: configuration.config.pluginConfiguration, logger: logger)
        // The REST generations served; the history keeps, of each sample, the values their history routes show.
        let generations = Self.restGenerations(names: collector.names, generations: collector.generations)
        let cache = StatsCache(collector: collector, interval: configuration.refreshInterval) { sample, previous in
            GlancesAPI.historyFrame(sample, generations: generations, previous: previous)
        }
        self.cache = cache
        let methods = Self.methods(configuration.generation, cache: cache, config: configuration.config)
        let responder = RPCResponder(methods: methods, cache: cache, maxBodyBytes: configuration.maxBodyBytes)
        self.responder = responder
        var http = HTTPServerConfiguration()
        http.host = configuration.host
        http.port = configuration.port
        http.maxBodyBytes = configuration.maxBodyBytes
        http.maxConnections = Self.connectionLimit(configuration.maxConnections, logger: logger)
        http.idleTimeout = configuration.idleTimeout
        http.headerTimeout = configuration.headerTimeout
        if let password = configuration.password {
            let verifier = PasswordVerifier(password: password, username: configuration.username)
            var authenticator = BasicAuthenticator(realm: "glanced") { user, received in
                verifier.verify(user: user, received: received)
            }
            // The Glances XML-RPC client sends sha256hex(password), and only that form is taken for XML-RPC
            // (as Glances' server does); REST clients, browsers and Prometheus' basic_auth send the password as
            // typed, which every other request (/api/…, /metrics, the page) may send as well.
            authenticator.verifyRequest = { user, received, method, _ in
                verifier.verify(user: user, received: received, acceptsPlain: method != "POST")
            }
            http.authenticator = authenticator
        }
        let rest = RESTResponder(
            generations: generations, cache: cache, config: configuration.config,
            arguments: Self.arguments(configuration))
        self.rest = rest
        // The dashboard reads the newest REST generation served.
        let web = WebResponder(
            version: configuration.version, apiGeneration: generations.map(\.number).max() ?? 2)
        // The routes, in one table: XML-RPC as Glances serves it (POST on /RPC2 and on /), the REST API, the
        // dashboard (GET on / and /static).
        let routes: HTTPRouteTable = [
            HTTPRoute(methods: ["POST"], match: .exact("/RPC2"), responder: responder),
            HTTPRoute(methods: ["POST"], match: .exact("/"), responder: responder),
            HTTPRoute(methods: ["GET"], match: .prefix("/api"), responder: rest),
            // Prometheus: the same samples in the text exposition format.
            HTTPRoute(
                methods: ["GET"], match: .exact("/metrics"),
                responder: MetricsResponder(cache: cache, version: configuration.version)),
            HTTPRoute(methods: ["GET"], match: .exact("/"), responder: web),
            HTTPRoute(methods: ["GET"], match: .prefix("/static"), responder: web),
        ]
        self.maxConnections = http.maxConnections
        self.http = HTTPServer(configuration: http, routes: routes, logger: logger)
        extra = configuration.listeners.map { listener in
            let responder = RPCResponder(
                methods: Self.methods(listener.generation, cache: cache, config: configuration.config), cache: cache,
                maxBodyBytes: configuration.maxBodyBytes)
            var settings = http
            settings.port = listener.port
            let routes: HTTPRouteTable = [
                HTTPRoute(methods: ["POST"], match: .exact("/RPC2"), responder: responder),
                HTTPRoute(methods: ["POST"], match: .exact("/"), responder: responder),
            ]
            return (HTTPServer(configuration: settings, routes: routes, logger: logger), responder)
        }
    }

    /// The method table of `generation` over the plugins of `cache`.
    private static func methods(_ generation: GlancesGeneration, cache: StatsCache, config: GlancesConfig)
        -> GlancesMethods
    {
        GlancesMethods(
            plugins: cache.names(in: generation), config: config, generation: generation,
            browserPlugins: cache.names(in: .v4))
    }

    /// Raises the process's open-files soft limit to its hard limit, as a server does at start-up; call it before
    /// creating the service, whose default connection limit follows from it.
    ///
    /// - Returns: The soft limit afterwards.
    @discardableResult
    package static func raiseOpenFilesLimit() -> Int {
        OpenFileLimit.raiseToHardLimit()
    }

    /// The connection limit to apply: `configured`, or by default what the open-files limit allows (at most
    /// 4,096). A configured limit past what the open-files limit leaves for connections is lowered to it, with a
    /// warning: a server out of descriptors could not accept a connection at all, not even to shed another.
    static func connectionLimit(_ configured: Int?, logger: Logger) -> Int {
        let softLimit = OpenFileLimit.current.soft
        guard let configured else { return OpenFileLimit.defaultConnectionLimit(softLimit: softLimit) }
        let capacity = OpenFileLimit.connectionCapacity(softLimit: softLimit)
        guard configured > capacity else { return configured }
        logger.warning(
            "connection limit lowered to what the open-files limit allows",
            metadata: [
                "http.max_connections": "\(configured)", "http.max_connections.applied": "\(capacity)",
                "process.open_files_limit": "\(softLimit)",
            ])
        return capacity
    }

    /// Binds and starts serving; takes the first sample in the background.
    ///
    /// - Returns: the bound port.
    package func start() async throws -> Int {
        let port = try await http.start()
        var ports: [String] = []
        for (server, listener) in zip(extra.map(\.http), configuration.listeners) {
            do {
                ports.append("\(try await server.start()):\(listener.generation.rawValue)")
            } catch {
                for started in extra.map(\.http) { await started.shutdown() }
                await http.shutdown()
                throw error
            }
        }
        cache.prime()
        logger.info(
            "glanced listening",
            metadata: [
                "http.address": "\(configuration.host)", "http.port": "\(port)",
                "xmlrpc.api": "\(configuration.generation.rawValue)",
                "xmlrpc.listen": "\(ports.joined(separator: ","))",
                "stats.refresh": "\(configuration.refreshInterval)",
                "config.file": "\(configuration.config.path ?? "(built-in defaults)")",
                "auth": "\(configuration.password.map { $0.schemes.map(\.rawValue).joined(separator: "+") } ?? "off")",
                "http.max_connections": "\(maxConnections)",
            ])
        if let password = configuration.password {
            var clients: [String] = []
            if password.schemes.contains(.sha256) { clients.append("Glances 2.x and 3.0-3.3 (sha256 form)") }
            if password.schemes.contains(.pbkdf2) { clients.append("Glances 3.4+ and 4.x (PBKDF2 form)") }
            logger.info("password clients served", metadata: ["auth.clients": "\(clients.joined(separator: ", "))"])
        }
        return port
    }

    /// Applies a reloaded configuration file: new thresholds, hide lists, monitor list and hddtemp
    /// address from the next sample on; the alert history is kept.
    package func reload(_ config: GlancesConfig) {
        cache.reconfigure(config.pluginConfiguration)
        responder.replaceMethods(Self.methods(configuration.generation, cache: cache, config: config))
        for (server, listener) in zip(extra, configuration.listeners) {
            server.responder.replaceMethods(Self.methods(listener.generation, cache: cache, config: config))
        }
        rest.replaceConfig(config)
        // Replies recorded before the reload are not sent again (limits and methods may have changed).
        cache.invalidateReplays()
        logger.info("configuration reloaded", metadata: ["config.file": "\(config.path ?? "(built-in defaults)")"])
    }

    /// Stops listening, closes every connection and kills the monitor commands still running.
    package func shutdown() async {
        await http.shutdown()
        for server in extra { await server.http.shutdown() }
        CommandRunner.killRunning()
        logger.info("glanced stopped")
    }

    /// The REST API generations served, over the plugins `names` (each listed in `generations`).
    private static func restGenerations(names: [String], generations: [Set<GlancesGeneration>]) -> [GlancesAPI] {
        func plugins(in generation: GlancesGeneration) -> [String] {
            names.indices.filter { generations[$0].contains(generation) }.map { names[$0] }
        }
        return [
            .glances2REST(plugins: plugins(in: .v2)), .glances(.v3, plugins: plugins(in: .v3)),
            .glances(.v4, plugins: plugins(in: .v4)),
        ]
    }

    /// What the REST `args` route shows: the settings the server runs with, never a secret.
    private static func arguments(_ configuration: ServerConfiguration) -> [(String, String)] {
        [
            ("bind_address", configuration.host), ("port", "\(configuration.port)"),
            ("time", "\(configuration.refreshInterval)"),
            ("conf_file", configuration.config.path ?? ""),
            ("password", configuration.password == nil ? "false" : "true"),
            ("username", configuration.username),
        ]
    }
}
