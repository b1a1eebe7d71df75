package import Logging
package import NIOCore
import NIOHTTP1

extension HTTPServer {
    /// Adds the handlers that serve one connection to `channel`'s pipeline: the intake (replays of repeated
    /// requests, and a watch on the bytes that arrive for the header timeout), NIO's HTTP/1 decoder (with the header limit), encoder and pipelining handler, then the
    /// server's own. The server does this for every
    /// connection it admits; fuzzers and tests do it on an `EmbeddedChannel` to drive the whole request path
    /// in-process, without sockets.
    ///
    /// - Parameters:
    ///   - channel: The connection's channel; this must run on its event loop.
    ///   - configuration: The limits and authentication to apply (host, port, threads and the connection
    ///     limit are not used here).
    ///   - routes: Which responder answers which methods on which paths.
    ///   - logger: Where the connection logs, at `debug` only.
    ///   - replies: Replies to repeated requests (``ReplayCache``), shared by the connections of the channel's
    ///     event loop; `nil` replays nothing.
    /// - Throws: What adding a handler throws (e.g. `ChannelError.ioOnClosedChannel`).
    package static func configureConnectionPipeline(
        on channel: any Channel,
        configuration: HTTPServerConfiguration,
        routes: HTTPRouteTable,
        logger: Logger,
        replies: ReplayCache? = nil
    ) throws {
        let settings = ConnectionSettings(configuration: configuration, routes: routes, logger: logger)
        try Self.configureConnectionPipeline(
            on: channel, settings: settings, maxHeaderBytes: configuration.maxHeaderBytes, activity: nil,
            replies: replies)
    }

    /// Adds the per-connection handlers; see the public form above. `activity` is the connection's record for
    /// shedding, `nil` outside a server; `replies` the event loop's recorded replies.
    static func configureConnectionPipeline(
        on channel: any Channel,
        settings: ConnectionSettings,
        maxHeaderBytes: Int,
        activity: ConnectionActivity?,
        replies: ReplayCache?
    ) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeaderBytes
        limits.maxHeaderListSize = maxHeaderBytes
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true,
            withErrorHandling: false,
            withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: limits
        )
        let connection = HTTPConnectionHandler(settings: settings, activity: activity)
        try pipeline.addHandler(RequestIntake(cache: replies, connection: connection), position: .first)
        try pipeline.addHandler(connection)
    }
}
