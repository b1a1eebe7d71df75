import GlancedHTTP
import GlancedStats
import GlancedSystem
import GlancedWeb
package import Logging

/// The running server: the sample cache, the method table and the HTTP listener, wired together.
package final class GlancedService: Sendable {
    private let http: HTTPServer
    private let cache: StatsCache
    private let logger: Logger
    private let configuration: ServerConfiguration
    private let responder: RPCResponder
    private let rest: RESTResponder
    /// The connection limit applied.
    private let maxConnections: Int

    /// Wires a server for `configuration`; nothing listens until ``start()``.
    package init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let collector = StatsCollector(configuration: configuration.config.pluginConfiguration, logger: logger)
        let names = collector.names
        let cache = StatsCache(collector: collector, interval: configuration.refreshInterval)
        self.cache = cache
        let methods = GlancesMethods(plugins: names, config: configuration.config)
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
            let username = configuration.username
            var authenticator = BasicAuthenticator(realm: "glanced") { user, received in
                password.verify(user: user, expectedUser: username, received: received)
            }
            // The Glances XML-RPC client sends sha256hex(password), and only that form is taken for XML-RPC
            // (as Glances' server does); REST clients, browsers and Prometheus' basic_auth send the password as
            // typed, which every other request (/api/…, /metrics, the page) may send as well.
            authenticator.verifyRequest = { user, received, method, path in
                password.verify(user: user, expectedUser: username, received: received)
                    || (method != "POST"
                        && password.verify(
                            user: user, expectedUser: username, received: SHA256.hex(Array(received.utf8))))
            }
            http.authenticator = authenticator
        }
        let generations: [GlancesAPI] = [.glances2REST(plugins: names)]
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
        cache.prime()
        logger.info(
            "glanced listening",
            metadata: [
                "http.address": "\(configuration.host)", "http.port": "\(port)",
                "stats.refresh": "\(configuration.refreshInterval)",
                "config.file": "\(configuration.config.path ?? "(built-in defaults)")",
                "auth": "\(configuration.password == nil ? "off" : "on")",
                "http.max_connections": "\(maxConnections)",
            ])
        return port
    }

    /// Applies a reloaded configuration file: new thresholds, hide lists, monitor list and hddtemp
    /// address from the next sample on; the alert history is kept.
    package func reload(_ config: GlancesConfig) {
        cache.reconfigure(config.pluginConfiguration)
        responder.replaceMethods(GlancesMethods(plugins: cache.names, config: config))
        rest.replaceConfig(config)
        logger.info("configuration reloaded", metadata: ["config.file": "\(config.path ?? "(built-in defaults)")"])
    }

    /// Stops listening, closes every connection and kills the monitor commands still running.
    package func shutdown() async {
        await http.shutdown()
        CommandRunner.killRunning()
        logger.info("glanced stopped")
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
