/// Where the server listens and the limits it enforces; the routes are given to ``HTTPServer`` apart.
package struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal, or a host name.
    package var host: String = "0.0.0.0"
    /// The TCP port; 0 binds any free port (``HTTPServer/start()`` returns the one chosen).
    package var port: Int = 61209
    /// The largest request body accepted; a longer one (by `Content-Length`, or counted as chunks
    /// arrive) is answered with 413 and the connection is closed.
    package var maxBodyBytes: Int = 65_536
    /// The largest request line plus header fields accepted; beyond it, 431 and close.
    package var maxHeaderBytes: Int = 16_384
    /// The most connections open at once; connections beyond it are closed as soon as accepted.
    package var maxConnections: Int = 256
    /// Seconds a connection may stay silent between requests, or take to send one whole request
    /// (head and body, against slow-loris clients), before it is closed.
    package var idleTimeout: Double = 30
    /// Bodies longer than this many bytes are gzipped when the request accepts gzip.
    package var gzipThreshold: Int = 1400
    /// HTTP Basic authentication, checked before anything else; `nil` serves everyone (an
    /// `Authorization` header is then ignored).
    package var authenticator: BasicAuthenticator? = nil
    /// The number of event-loop threads.
    package var threads: Int = 1

    /// Creates a configuration with the defaults above.
    package init() {}

    /// Creates a configuration; every parameter defaults to the value documented on its property.
    ///
    /// - Parameters:
    ///   - host: The address to bind.
    ///   - port: The TCP port, 0 for any.
    ///   - maxBodyBytes: The largest request body.
    ///   - maxHeaderBytes: The largest request head.
    ///   - maxConnections: The most connections open at once.
    ///   - idleTimeout: Seconds of silence (or for one whole request) before a connection is closed.
    ///   - gzipThreshold: The body length above which replies are gzipped.
    ///   - authenticator: HTTP Basic authentication, or `nil`.
    ///   - threads: The number of event-loop threads.
    package init(
        host: String = "0.0.0.0",
        port: Int = 61209,
        maxBodyBytes: Int = 65_536,
        maxHeaderBytes: Int = 16_384,
        maxConnections: Int = 256,
        idleTimeout: Double = 30,
        gzipThreshold: Int = 1400,
        authenticator: BasicAuthenticator? = nil,
        threads: Int = 1
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.gzipThreshold = gzipThreshold
        self.authenticator = authenticator
        self.threads = threads
    }
}

/// Why ``HTTPServer/start()`` failed.
package struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; new kinds may be added.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case addressInUse, permissionDenied, addressUnavailable, unknownHost, invalidConfiguration
            case alreadyStarted, shutDown, bindFailed
        }

        fileprivate var base: Base

        /// Another socket is bound to the address (`EADDRINUSE`).
        package static let addressInUse = Code(base: .addressInUse)
        /// Binding needs privileges the process lacks (`EACCES`, e.g. a port below 1024).
        package static let permissionDenied = Code(base: .permissionDenied)
        /// The address is not one of this machine's (`EADDRNOTAVAIL`).
        package static let addressUnavailable = Code(base: .addressUnavailable)
        /// The host name does not resolve.
        package static let unknownHost = Code(base: .unknownHost)
        /// A configuration value is out of range (port, limits, threads).
        package static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// ``HTTPServer/start()`` was already called.
        package static let alreadyStarted = Code(base: .alreadyStarted)
        /// ``HTTPServer/shutdown()`` was already called.
        package static let shutDown = Code(base: .shutDown)
        /// Any other failure to bind or listen.
        package static let bindFailed = Code(base: .bindFailed)

        /// The code's name, e.g. `addressInUse`.
        package var description: String {
            "\(self.base)"
        }
    }

    /// The kind of failure.
    package var code: Code
    /// One line for the operator, e.g. `address already in use: 127.0.0.1:61209`.
    package var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: The line to show.
    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The ``message``.
    package var description: String {
        self.message
    }
}
