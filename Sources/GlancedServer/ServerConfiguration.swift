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
    /// The most connections served at once; more are closed at once.
    package var maxConnections: Int = 256
    /// Seconds a connection may stay silent before it is closed.
    package var idleTimeout: Double = 30
    /// HTTP Basic credentials check, when a password is set.
    package var password: StoredPassword?
    /// The user name clients send with the password.
    package var username: String = "glances"
    /// glanced's version, as `/metrics` reports it in `glanced_build_info`.
    package var version: String = "0.0.0"

    /// Creates a configuration with Glances' defaults.
    package init() {}
}
