import GlancedStats

extension GlancesConfig {
    /// The server's own limits from the `[glanced]` section (Glances has no such section and ignores it), each
    /// key the default for the command-line flag of the same name: a flag given wins.
    ///
    /// ```
    /// [glanced]
    /// max_connections = 1024
    /// idle_timeout = 30
    /// header_timeout = 5
    /// max_body = 65536
    /// ```
    package struct ServerLimits: Sendable, Equatable {
        /// `max_body`: the largest request body in bytes (`--max-body`).
        package var maxBodyBytes: Int?
        /// `max_connections`: the most connections open at once (`--max-connections`).
        package var maxConnections: Int?
        /// `idle_timeout`: seconds a silent connection is kept (`--idle-timeout`).
        package var idleTimeout: Double?
        /// `header_timeout`: seconds a request head may take once started (`--header-timeout`).
        package var headerTimeout: Double?

        /// Creates limits; `nil` leaves a flag's default.
        package init(
            maxBodyBytes: Int? = nil, maxConnections: Int? = nil, idleTimeout: Double? = nil,
            headerTimeout: Double? = nil
        ) {
            self.maxBodyBytes = maxBodyBytes
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.headerTimeout = headerTimeout
        }
    }

    /// The section holding the server's limits.
    package static let serverSection = "glanced"

    /// The keys of ``serverSection`` that glanced reads.
    static let serverKeys: Set<String> = ["max_body", "max_connections", "idle_timeout", "header_timeout"]

    /// The limits the file sets (checked when it was loaded).
    package var serverLimits: ServerLimits {
        let section = self.section(Self.serverSection)
        return ServerLimits(
            maxBodyBytes: section["max_body"].flatMap { Int($0) },
            maxConnections: section["max_connections"].flatMap { Int($0) },
            idleTimeout: section["idle_timeout"].flatMap { Double($0) },
            headerTimeout: section["header_timeout"].flatMap { Double($0) }
        )
    }

    /// Checks the `[glanced]` limits: the ranges the flags accept.
    func validateServerSection(path: String) throws(ConfigError) {
        let section = self.section(Self.serverSection)
        func check(_ key: String, _ rule: String, _ valid: (String) -> Bool) throws(ConfigError) {
            guard let entry = section.entry(key), !valid(entry.value) else { return }
            throw ConfigError(
                path: path, line: entry.line, message: "[glanced] \(key): '\(entry.value)' is not \(rule)")
        }
        try check("max_body", "a whole number of bytes, at least 1024") { Int($0).map { $0 >= 1024 } ?? false }
        try check("max_connections", "a whole number, at least 1") { Int($0).map { $0 >= 1 } ?? false }
        for key in ["idle_timeout", "header_timeout"] {
            try check(key, "a positive number of seconds") {
                Double($0).map { $0 > 0 && $0.isFinite } ?? false
            }
        }
    }
}
