package import GlancedStats

/// Everything the server needs to start, from the command line and the configuration file.
package struct ServerConfiguration: Sendable {
    /// A further XML-RPC listener: a port on the same address, with the API generation it speaks.
    package struct Listener: Sendable, Equatable, CustomStringConvertible {
        /// TCP port; 0 picks a free one.
        package var port: Int
        /// What its XML-RPC speaks.
        package var generation: GlancesGeneration

        /// Creates a listener.
        package init(port: Int, generation: GlancesGeneration) {
            self.port = port
            self.generation = generation
        }

        /// Parses `PORT:GENERATION` (`61210:3`).
        package init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let port = Int(parts[0].filter { $0 != " " }), (0...65535).contains(port),
                let generation = ServerConfiguration.generation(String(parts[1]))
            else { return nil }
            self.init(port: port, generation: generation)
        }

        package var description: String { "\(port):\(generation.rawValue)" }
    }

    /// Parses an API generation: `2`, `3` or `4`.
    package static func generation(_ text: String) -> GlancesGeneration? {
        Int(text.filter { $0 != " " }).flatMap(GlancesGeneration.init(rawValue:))
    }

    /// Address to bind (`-B`); IPv4 or IPv6.
    package var host: String = "0.0.0.0"
    /// TCP port (`-p`); 0 picks a free one.
    package var port: Int = 61209
    /// What the XML-RPC of ``port`` speaks (`--xmlrpc-api`); 2 by default, the seed's contract.
    package var generation: GlancesGeneration = .v2
    /// Further XML-RPC listeners on ``host`` (`--xmlrpc-listen PORT:GENERATION`).
    package var listeners: [Listener] = []
    /// Seconds a sample stays current (`-t`).
    package var refreshInterval: Double = 1
    /// The parsed `glances.conf` (defaults when there is no file).
    package var config: GlancesConfig = .defaults
    /// The largest request body accepted; larger ones get 413.
    package var maxBodyBytes: Int = 65_536
    /// The most connections served at once (`--max-connections`); at the limit a new connection takes the place
    /// of the one that has gone longest without completing a request. `nil`: what the open-files limit allows,
    /// at most 4,096 (`OpenFileLimit.defaultConnectionLimit`).
    package var maxConnections: Int?
    /// Seconds a connection may stay silent before it is closed (`--idle-timeout`).
    package var idleTimeout: Double = 30
    /// Seconds a request head may take once its first byte has arrived (`--header-timeout`).
    package var headerTimeout: Double = 5
    /// HTTP Basic credentials check, when a password is set.
    package var password: StoredPassword?
    /// The user name clients send with the password.
    package var username: String = "glances"
    /// glanced's version, as `/metrics` reports it in `glanced_build_info` and the web dashboard shows it.
    package var version: String = "0.0.0"

    /// Creates a configuration with Glances' defaults.
    package init() {}
}
