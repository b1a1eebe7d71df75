package import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server: an ``HTTPRouteTable`` of responders by method and path, keep-alive, pipelining, gzip,
/// Basic auth and hard limits, on SwiftNIO with one event-loop thread by default.
///
/// Every reply carries `Server: glanced` and `Access-Control-Allow-Origin: *`, and `Content-Length` unless its
/// status forbids a body (204, 304). Each request is screened at its head (``HTTPRequestScreen``), in order: a
/// CORS preflight (`OPTIONS` on a path with a `GET` route) gets 204 with the `Access-Control-Allow-*` fields,
/// without authentication; 401 if a ``BasicAuthenticator`` is set and rejects the request; 404 if no route takes
/// its path; 405, with `Allow`, if routes take the path but not the method; 413 for a body over
/// ``HTTPServerConfiguration/maxBodyBytes``; otherwise the route's ``HTTPResponder`` answers (`HEAD` is answered
/// by the `GET` route, without the body). Malformed requests get 400, oversized heads 431; both close the
/// connection.
///
/// Connections are bounded in number and time: a connection accepted at ``HTTPServerConfiguration/maxConnections``
/// sheds the open connection that has gone longest without completing a request (``ConnectionShedder``), a head
/// must arrive whole within ``HTTPServerConfiguration/headerTimeout`` of its first byte, and a whole request within
/// ``HTTPServerConfiguration/idleTimeout`` of the previous reply; so clients that connect and stall cannot keep
/// others out.
package final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case starting
        case running
        case shutDown
    }

    private struct State {
        var phase = Phase.idle
        var group: MultiThreadedEventLoopGroup?
        var serverChannel: (any Channel)?
        /// Open connections by serial, to count them, to shed them and to close them at shutdown.
        var connections: [Int: Connection] = [:]
        /// Which connection to shed at the limit.
        var shedder = ConnectionShedder()
        /// The serial of the next connection.
        var nextSerial = 0
    }

    private struct Connection {
        let channel: any Channel
        let activity: ConnectionActivity
    }

    private let configuration: HTTPServerConfiguration
    private let settings: ConnectionSettings
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    /// The routes, checked at ``start()``.
    private let routes: HTTPRouteTable

    /// Creates a server; nothing is bound until ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Address and limits.
    ///   - routes: Which responder answers which methods on which paths, e.g. `POST /RPC2` and `POST /` for
    ///     XML-RPC.
    ///   - logger: Where the server logs, at `debug` only (start, stop, rejected requests, dropped
    ///     connections): the application reports what matters to the operator. Credentials are never logged.
    package init(configuration: HTTPServerConfiguration, routes: HTTPRouteTable, logger: Logger) {
        self.configuration = configuration
        self.routes = routes
        self.settings = ConnectionSettings(configuration: configuration, routes: routes, logger: logger)
        self.logger = logger
    }

    /// Binds and starts serving.
    ///
    /// - Returns: The bound port (the one the system chose when ``HTTPServerConfiguration/port`` is 0).
    /// - Throws: ``HTTPServerError``, e.g. `address already in use: 127.0.0.1:61209`.
    package func start() async throws -> Int {
        let configuration = self.configuration
        try Self.validate(configuration, routes: self.routes)
        let group = try self.state.withLockedValue { state in
            switch state.phase {
            case .idle:
                let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
                state.phase = .starting
                state.group = group
                return group
            case .starting, .running:
                throw HTTPServerError(code: .alreadyStarted, message: "the HTTP server is already started")
            case .shutDown:
                throw HTTPServerError(code: .shutDown, message: "the HTTP server is shut down")
            }
        }

        // One cache of replayed replies per event loop, used on that loop only.
        var replies: [ObjectIdentifier: NIOLoopBoundBox<ReplayCache?>] = [:]
        for loop in group.makeIterator() {
            replies[ObjectIdentifier(loop)] = .makeEmptyBox(valueType: ReplayCache.self, eventLoop: loop)
        }
        let channel: any Channel
        do {
            channel = try await self.bootstrap(group: group, replies: replies).bind(
                host: configuration.host, port: configuration.port
            )
            .get()
        } catch {
            let mapped = Self.describe(error, host: configuration.host, port: configuration.port)
            let shutDown = self.state.withLockedValue { state in
                guard state.phase == .starting else { return true }
                state.phase = .idle
                state.group = nil
                return false
            }
            if !shutDown {
                try? await group.shutdownGracefully()
            }
            throw mapped
        }

        let port = channel.localAddress?.port ?? configuration.port
        let stillStarting = self.state.withLockedValue { state in
            guard state.phase == .starting else { return false }
            state.phase = .running
            state.serverChannel = channel
            return true
        }
        guard stillStarting else {
            // shutdown() ran while we were binding; it owns the group.
            try? await channel.close()
            throw HTTPServerError(code: .shutDown, message: "the HTTP server was shut down while starting")
        }
        self.logger.debug(
            "HTTP server listening",
            metadata: ["http.address": "\(Self.format(host: configuration.host, port: port))"]
        )
        return port
    }

    /// Stops accepting, closes every connection and shuts down the event-loop threads. Idempotent: later
    /// calls (and a call without ``start()``) return at once.
    package func shutdown() async {
        let (group, serverChannel, connections) = self.state.withLockedValue { state in
            guard state.phase != .shutDown else {
                return (MultiThreadedEventLoopGroup?.none, (any Channel)?.none, [any Channel]())
            }
            defer {
                state.phase = .shutDown
                state.group = nil
                state.serverChannel = nil
                state.connections = [:]
            }
            return (state.group, state.serverChannel, state.connections.values.map(\.channel))
        }
        guard let group else { return }
        if let serverChannel {
            try? await serverChannel.close()
        }
        for connection in connections {
            connection.close(promise: nil)
        }
        for connection in connections {
            try? await connection.closeFuture.get()
        }
        try? await group.shutdownGracefully()
        if serverChannel != nil {
            self.logger.debug("HTTP server stopped")
        }
    }

    /// The number of connections open now (lingering ones included).
    package var openConnections: Int {
        self.state.withLockedValue { $0.connections.count }
    }

    // MARK: Setup

    private func bootstrap(
        group: MultiThreadedEventLoopGroup, replies: [ObjectIdentifier: NIOLoopBoundBox<ReplayCache?>]
    ) -> ServerBootstrap {
        let settings = self.settings
        let maxHeaderBytes = self.configuration.maxHeaderBytes
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in
                guard let activity = self.admit(channel) else {
                    // Failing the initializer makes NIO close the socket before it is registered.
                    return channel.eventLoop.makeFailedFuture(ConnectionRefused())
                }
                return channel.eventLoop.makeCompletedFuture {
                    let box = replies[ObjectIdentifier(channel.eventLoop)]
                    if let box, box.value == nil {
                        box.value = ReplayCache()
                    }
                    try Self.configureConnectionPipeline(
                        on: channel, settings: settings, maxHeaderBytes: maxHeaderBytes, activity: activity,
                        replies: box?.value)
                }
            }
    }

    /// Counts `channel` in, shedding another connection if the server is full; says no (`nil`) when every
    /// connection is busy or the server is shutting down.
    private func admit(_ channel: any Channel) -> ConnectionActivity? {
        let limit = self.configuration.maxConnections
        let (activity, shed) = self.state.withLockedValue { state -> (ConnectionActivity?, (any Channel)?) in
            guard state.phase == .running || state.phase == .starting else { return (nil, nil) }
            var shed: (any Channel)?
            if state.connections.count >= limit {
                guard let victim = state.shedder.removeVictim() else { return (nil, nil) }
                shed = state.connections.removeValue(forKey: victim.serial)?.channel
            }
            let activity = ConnectionActivity(serial: state.nextSerial, openedAt: .now())
            state.nextSerial += 1
            state.connections[activity.serial] = Connection(channel: channel, activity: activity)
            state.shedder.insert(activity)
            return (activity, shed)
        }
        if let shed {
            self.logger.debug("connection shed: the least recently active one, to admit a new one")
            shed.close(promise: nil)
        }
        guard let activity else {
            self.logger.debug("connection refused: every connection busy, or shutting down")
            return nil
        }
        channel.closeFuture.whenComplete { _ in
            activity.retire()
            self.state.withLockedValue { state in
                if state.connections.removeValue(forKey: activity.serial) != nil {
                    state.shedder.compact(openConnections: state.connections.count)
                }
            }
        }
        return activity
    }

    /// The reason given to NIO for a connection over the limit (NIO drops it quietly).
    private struct ConnectionRefused: Error {}

    // MARK: Errors

    private static func validate(_ configuration: HTTPServerConfiguration, routes: HTTPRouteTable) throws {
        func invalid(_ message: String) -> HTTPServerError {
            HTTPServerError(code: .invalidConfiguration, message: message)
        }
        guard (0...65535).contains(configuration.port) else { throw invalid("invalid port: \(configuration.port)") }
        guard configuration.threads >= 1 else { throw invalid("invalid thread count: \(configuration.threads)") }
        guard configuration.maxConnections >= 1 else {
            throw invalid("invalid connection limit: \(configuration.maxConnections)")
        }
        guard configuration.maxBodyBytes >= 0, configuration.maxHeaderBytes >= 1 else {
            throw invalid(
                "invalid size limits: body \(configuration.maxBodyBytes), head \(configuration.maxHeaderBytes)")
        }
        guard configuration.idleTimeout > 0, configuration.idleTimeout.isFinite else {
            throw invalid("invalid idle timeout: \(configuration.idleTimeout)")
        }
        guard configuration.headerTimeout > 0, configuration.headerTimeout.isFinite else {
            throw invalid("invalid header timeout: \(configuration.headerTimeout)")
        }
        for route in routes.routes {
            guard !route.methods.isEmpty, route.methods.allSatisfy({ !$0.isEmpty }) else {
                throw invalid("invalid route \(route.match): no method")
            }
            guard route.match.path.hasPrefix("/") else {
                throw invalid("invalid route \(route.match): the path must start with /")
            }
        }
    }

    /// Turns a bind failure into one line naming the address.
    private static func describe(_ error: any Error, host: String, port: Int) -> HTTPServerError {
        let address = Self.format(host: host, port: port)
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE:
                return HTTPServerError(code: .addressInUse, message: "address already in use: \(address)")
            case EACCES:
                return HTTPServerError(code: .permissionDenied, message: "permission denied binding \(address)")
            case EADDRNOTAVAIL:
                return HTTPServerError(
                    code: .addressUnavailable,
                    message: "address not available on this machine: \(address)"
                )
            default:
                let reason = String(cString: strerror(error.errnoCode))
                return HTTPServerError(code: .bindFailed, message: "cannot listen on \(address): \(reason)")
            }
        }
        if let error = error as? SocketAddressError.UnknownHost {
            return HTTPServerError(
                code: .unknownHost, message: "cannot resolve host \(host): \(error.errorDescription)")
        }
        if error is SocketAddressError {
            return HTTPServerError(code: .unknownHost, message: "cannot resolve host: \(host)")
        }
        return HTTPServerError(code: .bindFailed, message: "cannot listen on \(address): \(error)")
    }

    /// `host:port`, with brackets around an IPv6 literal.
    private static func format(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
