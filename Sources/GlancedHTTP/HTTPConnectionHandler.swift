import GlancedCompression
import Logging
import NIOCore
import NIOHTTP1

/// What every connection of one server shares: the limits, the responder and the logger.
final class ConnectionSettings: Sendable {
    let paths: Set<String>
    let maxBodyBytes: Int
    let idleTimeout: TimeAmount
    let gzipThreshold: Int
    let authenticator: BasicAuthenticator?
    let responder: any HTTPResponder
    let logger: Logger

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.paths = configuration.paths
        self.maxBodyBytes = configuration.maxBodyBytes
        self.idleTimeout = .nanoseconds(Int64(min(configuration.idleTimeout, 1e9) * 1e9))
        self.gzipThreshold = configuration.gzipThreshold
        self.authenticator = configuration.authenticator
        self.responder = responder
        self.logger = logger
    }
}

/// Serves one connection: checks each request (auth, path, method, size), collects its body, asks the
/// responder and writes the reply, in request order.
///
/// It sits behind NIO's `HTTPServerPipelineHandler`, which hands it one request at a time and holds
/// pipelined ones back until the reply's `.end` is written, so replies never interleave. Everything here
/// runs on the channel's event loop; a reply from another thread hops onto it first.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Where the connection is in its request/response cycle.
    private enum State: Equatable {
        /// Waiting for a request head (between requests, or before the first).
        case idle
        /// The head passed every check; collecting the body.
        case receivingBody
        /// An error reply was sent at the head (401, 404, 405); dropping the body until its end.
        case discardingBody
        /// The whole request is here but the client is not reading our replies: waiting for it to.
        case waitingForWritability
        /// The responder has the request; waiting for its reply.
        case responding
        /// The last reply is written (or being written); output is then shut and input drained until the
        /// client closes or a short deadline passes, so the client reads the reply instead of a reset.
        case lingering
        /// The connection is closing (or closed): everything further is ignored.
        case closing

        /// Whether requests are no longer served.
        var isFinished: Bool {
            self == .lingering || self == .closing
        }

        mutating func headReceived() {
            precondition(self == .idle, "request head in state \(self)")
            self = .receivingBody
        }

        mutating func repliedEarly(keepAlive: Bool) {
            precondition(self == .receivingBody, "early reply in state \(self)")
            self = keepAlive ? .discardingBody : .lingering
        }

        mutating func requestComplete(writable: Bool) {
            precondition(self == .receivingBody, "request end in state \(self)")
            self = writable ? .responding : .waitingForWritability
        }

        mutating func becameWritable() {
            precondition(self == .waitingForWritability, "writable in state \(self)")
            self = .responding
        }

        mutating func discardedBodyEnded() {
            precondition(self == .discardingBody, "discarded body end in state \(self)")
            self = .idle
        }

        mutating func replied(keepAlive: Bool) {
            precondition(self == .responding, "reply in state \(self)")
            self = keepAlive ? .idle : .lingering
        }

        mutating func finalReply() {
            precondition(self != .closing, "final reply in state \(self)")
            self = .lingering
        }

        mutating func close() {
            self = .closing
        }
    }

    /// What the reply to the current request depends on.
    private struct Exchange {
        var version: HTTPVersion = .http1_1
        var keepAlive: Bool = false
        var acceptsGzip: Bool = false
        var isHead: Bool = false
        /// Counts requests, so that a late reply for an earlier one is recognised.
        var serial: UInt64 = 0
    }

    private let settings: ConnectionSettings
    private var state = State.idle
    private var exchange = Exchange()
    /// The current request's head while its body arrives.
    private var head: HTTPRequestHead?
    /// The current request's body so far.
    private var body: [UInt8] = []
    /// Body bytes dropped after an early reply.
    private var discardedBytes = 0
    /// A complete request waiting for the client to read earlier replies.
    private var pendingRequest: HTTPRequest?
    /// When the connection will be closed unless a whole request has arrived; `nil` while the responder works.
    private var deadline: NIODeadline?
    /// The one timer that enforces `deadline`; it re-arms itself lazily, so requests schedule nothing.
    private var timer: Scheduled<Void>?
    /// When `timer` fires.
    private var timerFireTime = NIODeadline.distantFuture
    /// Whether the client half-closed: nothing more will come, so there is nothing to linger for.
    private var inputClosed = false

    init(settings: ConnectionSettings) {
        self.settings = settings
    }

    // MARK: Channel events

    func channelActive(context: ChannelHandlerContext) {
        self.armDeadline(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state.close()
        self.stopTimer()
        self.head = nil
        self.body = []
        self.pendingRequest = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.state.close()
        self.stopTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.received(head: head, context: context)
        case .body(let buffer):
            self.received(body: buffer, context: context)
        case .end:
            self.receivedEnd(context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if self.state == .waitingForWritability, context.channel.isWritable, let request = self.pendingRequest {
            self.pendingRequest = nil
            self.state.becameWritable()
            self.dispatch(request, context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client half-closed. `HTTPServerPipelineHandler` delivers this after the replies to every
        // request before it; a request still unfinished will never end, so close now unless a reply is due.
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.inputClosed = true
            switch self.state {
            case .idle, .receivingBody, .discardingBody, .lingering:
                self.close(context: context)
            case .waitingForWritability, .responding:
                self.exchange.keepAlive = false
            case .closing:
                break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.state == .lingering, error is HTTPParserError || error is ByteToMessageDecoderError {
            // Whatever the client still sends after the last reply is dropped, parsable or not.
            return
        }
        if let error = error as? HTTPParserError {
            switch self.state {
            case .idle, .receivingBody:
                // No reply started for this request: say what was wrong, then close.
                self.settings.logger.debug("bad request", metadata: ["http.error": "\(error)"])
                let status = error == .headerOverflow ? 431 : 400
                self.exchange.keepAlive = false
                self.exchange.isHead = false
                self.head = nil
                self.body = []
                self.state.finalReply()
                self.writeErrorReply(status: status, context: context)
            case .discardingBody, .waitingForWritability, .responding, .lingering, .closing:
                self.close(context: context)
            }
        } else {
            // Resets, broken pipes: the client went away.
            self.settings.logger.debug("connection error", metadata: ["error": "\(error)"])
            self.close(context: context)
        }
    }

    // MARK: Requests

    private func received(head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard !self.state.isFinished else { return }
        self.state.headReceived()
        self.exchange.version = head.version
        self.exchange.keepAlive = head.isKeepAlive
        self.exchange.isHead = head.method == .HEAD
        self.exchange.acceptsGzip = false
        self.exchange.serial &+= 1
        self.discardedBytes = 0

        if let authenticator = self.settings.authenticator,
            !authenticator.accepts(authorization: head.headers.first(name: "authorization"))
        {
            self.settings.logger.debug("unauthorized", metadata: ["http.path": "\(head.uri)"])
            return self.replyEarly(status: 401, context: context, head: head)
        }
        guard self.settings.paths.contains(String(Self.path(of: head.uri))) else {
            return self.replyEarly(status: 404, context: context, head: head)
        }
        guard head.method == .POST else {
            return self.replyEarly(status: 405, context: context, head: head)
        }
        var expected = 0
        if let length = head.headers.first(name: "content-length") {
            guard let length = Int(length), length >= 0 else {
                return self.replyEarly(status: 400, context: context, head: head)
            }
            guard length <= self.settings.maxBodyBytes else {
                return self.replyEarly(status: 413, context: context, head: head)
            }
            expected = length
        }
        self.body.reserveCapacity(expected)
        self.head = head
        if Self.expectsContinue(head) {
            // curl and others wait for this before sending a body (RFC 9110 §10.1.1).
            let interim = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(Self.wrapOutboundOut(.head(interim)), promise: nil)
        }
    }

    private func received(body buffer: ByteBuffer, context: ChannelHandlerContext) {
        switch self.state {
        case .receivingBody:
            guard self.body.count + buffer.readableBytes <= self.settings.maxBodyBytes else {
                // A chunked body (or a lying Content-Length) past the limit: stop here, keep nothing.
                self.body = []
                self.head = nil
                return self.replyEarly(status: 413, context: context, head: nil)
            }
            buffer.withUnsafeReadableBytes { self.body.append(contentsOf: $0) }
        case .discardingBody:
            self.discardedBytes += buffer.readableBytes
            if self.discardedBytes > self.settings.maxBodyBytes {
                // The reply is out; no need to swallow an endless body for the sake of keep-alive.
                self.close(context: context)
            }
        case .lingering, .closing:
            break
        case .idle, .waitingForWritability, .responding:
            preconditionFailure("request body in state \(self.state)")
        }
    }

    private func receivedEnd(context: ChannelHandlerContext) {
        switch self.state {
        case .receivingBody:
            guard let head = self.head else { preconditionFailure("request end without a head") }
            self.head = nil
            self.deadline = nil
            var headers: [(name: String, value: String)] = []
            headers.reserveCapacity(head.headers.count)
            for (name, value) in head.headers { headers.append((name, value)) }
            let body = self.body
            self.body = []
            let request = HTTPRequest(
                method: head.method.rawValue,
                path: String(Self.path(of: head.uri)),
                headers: headers,
                body: body
            )
            self.exchange.acceptsGzip = request.acceptsGzip
            let writable = context.channel.isWritable
            self.state.requestComplete(writable: writable)
            if writable {
                self.dispatch(request, context: context)
            } else {
                self.pendingRequest = request
                self.armDeadline(context: context)
            }
        case .discardingBody:
            self.state.discardedBodyEnded()
            self.armDeadline(context: context)
        case .lingering, .closing:
            break
        case .idle, .waitingForWritability, .responding:
            preconditionFailure("request end in state \(self.state)")
        }
    }

    /// Hands `request` to the responder; its reply comes back to ``replyArrived(_:serial:context:)`` on
    /// this event loop.
    private func dispatch(_ request: HTTPRequest, context: ChannelHandlerContext) {
        let serial = self.exchange.serial
        let eventLoop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: eventLoop)
        self.settings.responder.respond(to: request) { response in
            if eventLoop.inEventLoop {
                let (handler, context) = bound.value
                handler.replyArrived(response, serial: serial, context: context)
            } else {
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.replyArrived(response, serial: serial, context: context)
                }
            }
        }
    }

    private func replyArrived(_ response: HTTPResponse, serial: UInt64, context: ChannelHandlerContext) {
        guard self.state == .responding, serial == self.exchange.serial else {
            // The client left (or the responder replied twice): nothing to write to.
            return
        }
        let keepAlive = self.exchange.keepAlive
        self.state.replied(keepAlive: keepAlive)
        if keepAlive {
            // Before the write: writing `.end` may deliver the next pipelined request at once.
            self.armDeadline(context: context)
        }
        guard (100...999).contains(response.status) else {
            self.settings.logger.debug("responder gave a bad status", metadata: ["http.status": "\(response.status)"])
            return self.writeErrorReply(status: 500, context: context)
        }
        var headers = self.commonHeaders(capacity: response.headers.count + 6)
        var gzip = false
        if self.exchange.acceptsGzip, response.body.count > self.settings.gzipThreshold {
            gzip = !response.headers.contains { ASCII.equalsIgnoringCase($0.name, "content-encoding") }
        }
        for field in response.headers where !Self.isFraming(field.name) {
            headers.add(name: field.name, value: field.value)
        }
        let payload: [UInt8]
        if gzip {
            payload = response.gzippedBody ?? Gzip.compress(response.body, level: Gzip.serverLevel)
            headers.add(name: "Content-Encoding", value: "gzip")
            headers.add(name: "Vary", value: "Accept-Encoding")
        } else {
            payload = response.body
        }
        self.write(status: response.status, headers: &headers, body: payload, context: context)
    }

    // MARK: Replies

    /// Answers the current request at its head (or mid-body), before the body is read.
    private func replyEarly(status: Int, context: ChannelHandlerContext, head: HTTPRequestHead?) {
        // 413 and 400 leave the rest of the body unread, and a body past the limit is not worth draining.
        // So do requests whose client waits for `100 Continue` before it sends the body: it may never come.
        let bodyTooLong =
            head.flatMap { $0.headers.first(name: "content-length") }.flatMap { Int($0) }
            .map { $0 > self.settings.maxBodyBytes } ?? false
        let bodyWithheld = head.map(Self.expectsContinue) ?? false
        if status == 413 || status == 400 || bodyTooLong || bodyWithheld {
            self.exchange.keepAlive = false
        }
        self.state.repliedEarly(keepAlive: self.exchange.keepAlive)
        self.writeErrorReply(status: status, context: context)
    }

    /// Writes a short `text/plain` error page, and closes afterwards unless the exchange is keep-alive.
    private func writeErrorReply(status: Int, context: ChannelHandlerContext) {
        var headers = self.commonHeaders(capacity: 7)
        headers.add(name: "Content-Type", value: "text/plain")
        switch status {
        case 401:
            if let authenticator = self.settings.authenticator {
                headers.add(name: "WWW-Authenticate", value: authenticator.challenge)
            }
        case 405:
            headers.add(name: "Allow", value: "POST")
        default:
            break
        }
        self.write(status: status, headers: &headers, body: Self.errorPage(status), context: context)
    }

    /// The fields every reply carries.
    private func commonHeaders(capacity: Int) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(capacity)
        headers.add(name: "Server", value: "glanced")
        headers.add(name: "Access-Control-Allow-Origin", value: "*")
        return headers
    }

    /// Writes one whole reply: framing fields, head, body and end in one flush; closes after it unless
    /// the exchange is keep-alive.
    private func write(status: Int, headers: inout HTTPHeaders, body: [UInt8], context: ChannelHandlerContext) {
        let keepAlive = self.exchange.keepAlive
        headers.add(name: "Content-Length", value: String(body.count))
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if self.exchange.version.major == 1, self.exchange.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let version = self.exchange.version.major == 1 ? self.exchange.version : .http1_1
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty, !self.exchange.isHead {
            let buffer = context.channel.allocator.buffer(bytes: body)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            if self.state != .lingering {
                self.state.finalReply()
            }
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { result in
                self.linger(afterWrite: result, context: context)
            }
        }
    }

    /// After the last reply: shuts output (the client sees the reply, then end of stream) and drains input
    /// for a little while; closing at once with unread input would reset the connection, and a client
    /// still sending its body could lose the reply.
    private func linger(afterWrite result: Result<Void, any Error>, context: ChannelHandlerContext) {
        guard self.state == .lingering, case .success = result, context.channel.isActive, !self.inputClosed else {
            return self.close(context: context)
        }
        context.close(mode: .output, promise: nil)
        self.setDeadline(.now() + min(self.settings.idleTimeout, Self.lingerTimeout), context: context)
    }

    /// The longest a connection drains input after its last reply.
    private static let lingerTimeout = TimeAmount.seconds(2)

    private func close(context: ChannelHandlerContext) {
        self.state.close()
        self.stopTimer()
        context.close(promise: nil)
    }

    // MARK: Deadline

    /// Gives the client ``ConnectionSettings/idleTimeout`` from now to deliver a whole request.
    private func armDeadline(context: ChannelHandlerContext) {
        self.setDeadline(.now() + self.settings.idleTimeout, context: context)
    }

    /// Closes the connection at `deadline` unless it is moved or cleared first. A timer already due no later
    /// than `deadline` is kept (it re-arms itself when it fires early), so the per-request cost is a clock read.
    private func setDeadline(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        self.deadline = deadline
        if self.timer == nil || self.timerFireTime > deadline {
            self.timer?.cancel()
            self.scheduleTimer(at: deadline, context: context)
        }
    }

    private func scheduleTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        self.timerFireTime = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timer = nil
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        guard let deadline = self.deadline, self.state != .closing else { return }
        if deadline <= .now() {
            self.settings.logger.debug("closing idle or slow connection")
            self.close(context: context)
        } else {
            self.scheduleTimer(at: deadline, context: context)
        }
    }

    private func stopTimer() {
        self.deadline = nil
        self.timer?.cancel()
        self.timer = nil
    }

    // MARK: Helpers

    /// The path of a request target: origin form without query or fragment; absolute form without
    /// scheme and authority.
    static func path(of uri: String) -> Substring {
        var target = Substring(uri)
        if !target.hasPrefix("/"), let scheme = target.firstRange(of: "://") {
            let authority = target[scheme.upperBound...]
            target = authority.firstIndex(of: "/").map { authority[$0...] } ?? "/"
        }
        if let end = target.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            target = target[..<end]
        }
        return target
    }

    /// Whether the client waits for `100 Continue` before sending the body.
    private static func expectsContinue(_ head: HTTPRequestHead) -> Bool {
        guard head.version.major == 1, head.version.minor >= 1, let expect = head.headers.first(name: "expect") else {
            return false
        }
        return ASCII.equalsIgnoringCase(expect, "100-continue")
    }

    /// Whether a responder's header field is one the server sets itself.
    private static func isFraming(_ name: String) -> Bool {
        ASCII.equalsIgnoringCase(name, "content-length") || ASCII.equalsIgnoringCase(name, "connection")
            || ASCII.equalsIgnoringCase(name, "transfer-encoding")
    }

    /// The body of an error page.
    private static func errorPage(_ status: Int) -> [UInt8] {
        switch status {
        case 400: Array("Bad request\n".utf8)
        case 401: Array("Unauthorized\n".utf8)
        case 404: Array("No such page\n".utf8)
        case 405: Array("Method not allowed\n".utf8)
        case 413: Array("Request body too large\n".utf8)
        case 431: Array("Request header fields too large\n".utf8)
        default: Array("Internal server error\n".utf8)
        }
    }
}
