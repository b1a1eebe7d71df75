/// Everything the server needs to start, from the command line and the configuration file.
package struct ServerConfiguration: Sendable {
    /// Address to bind (`-B`); IPv4 or IPv6.
    package var host: String = "0.0.0.0"
    /// TCP port (`-p`); 0 picks a free one.
    package var port: Int = 61209
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
