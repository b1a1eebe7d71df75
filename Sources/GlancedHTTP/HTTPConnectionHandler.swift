import Logging
import NIOCore
import NIOHTTP1

/// What every connection of one server shares: the request screen (routes and limits), the timeouts and the
/// logger.
final class ConnectionSettings: Sendable {
    let screen: HTTPRequestScreen
    let idleTimeout: TimeAmount
    let headerTimeout: TimeAmount
    let gzipThreshold: Int
    let logger: Logger

    init(configuration: HTTPServerConfiguration, routes: HTTPRouteTable, logger: Logger) {
        self.screen = HTTPRequestScreen(
            routes: routes, maxBodyBytes: configuration.maxBodyBytes, authenticator: configuration.authenticator)
        self.idleTimeout = .nanoseconds(Int64(min(configuration.idleTimeout, 1e9) * 1e9))
        self.headerTimeout = .nanoseconds(Int64(min(configuration.headerTimeout, 1e9) * 1e9))
        self.gzipThreshold = configuration.gzipThreshold
        self.logger = logger
    }

    /// The largest request body accepted.
    var maxBodyBytes: Int {
        self.screen.maxBodyBytes
    }
}

/// Serves one connection: screens each request at its head (``HTTPRequestScreen``), collects its body, asks the
/// route's responder and writes the reply (``ReplyWriter``), in request order, closing the connection when the
/// client stalls (``ConnectionDeadline``). This type keeps the state machine; the decisions are made there.
///
/// Two deadlines apply while a request arrives: the idle timeout, from the previous reply (or the connection's
/// start) to the request's end, and the header timeout, from the first bytes of a head (``RequestIntake``) to
/// its end. The connection's ``ConnectionActivity`` tells the server when it is busy (a request being answered, a
/// reply being written: not to be shed) and when it last completed a request.
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
        /// A reply was sent at the head (an error, or a preflight answer); dropping the body until its end.
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
        var framing = ReplyFraming()
        var acceptsGzip: Bool = false
        /// Counts requests, so that a late reply for an earlier one is recognised.
        var serial: UInt64 = 0
    }

    /// A request admitted at its head, while its body arrives.
    private struct Incoming {
        var method: String
        var admission: HTTPRequestScreen.Admission
        var headers: [(name: String, value: String)]
    }

    private let settings: ConnectionSettings
    /// The connection's record for shedding; `nil` outside a server.
    private let activity: ConnectionActivity?
    private var state = State.idle
    private var exchange = Exchange()
    /// The current request's head while its body arrives.
    private var incoming: Incoming?
    /// The current request's body so far.
    private var body: [UInt8] = []
    /// Body bytes dropped after an early reply.
    private var discardedBytes = 0
    /// A complete request waiting for the client to read earlier replies, and who answers it.
    private var pendingRequest: (request: HTTPRequest, responder: any HTTPResponder)?
    /// When the connection is closed unless a whole request has arrived.
    private var deadline = ConnectionDeadline()
    /// The idle timeout's deadline: since the last reply (or the start), plus the idle timeout.
    private var idleDeadline = NIODeadline.distantFuture
    /// Bytes arrived while waiting for a head: a head has started.
    private var headStarted = false
    /// The header timeout is running (the deadline is its, if earlier than ``idleDeadline``).
    private var headerDeadlineSet = false
    /// Bytes arrived while a request was answered: the next head started before the connection went idle.
    private var bytesWhileBusy = false
    /// Whether the client half-closed: nothing more will come, so there is nothing to linger for.
    private var inputClosed = false
    /// This handler's context, for replies ``RequestIntake`` replays.
    private var context: ChannelHandlerContext?
    /// Requests whose end has arrived: ``RequestIntake`` counts on it to know when a request it handed on is done.
    private(set) var requestsEnded: UInt64 = 0
    /// When the last request's reply may be replayed to the same bytes, for as long as this holds; `nil` for a
    /// reply that may not (an error at the head, a closing connection, a responder that gave no condition).
    private(set) var lastReplay: (any ReplayCondition)?

    init(settings: ConnectionSettings, activity: ConnectionActivity?) {
        self.settings = settings
        self.activity = activity
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        self.armDeadline(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state.close()
        self.deadline.stop()
        self.incoming = nil
        self.body = []
        self.pendingRequest = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.state.close()
        self.deadline.stop()
        self.context = nil
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

    func channelReadComplete(context: ChannelHandlerContext) {
        // A read that began a head without completing it: the header timeout starts. (A head that arrives whole
        // in one read, the usual case, costs no timer.)
        if self.headStarted, self.state == .idle, !self.headerDeadlineSet {
            self.startHeaderDeadline(context: context)
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if self.state == .waitingForWritability, context.channel.isWritable, let pending = self.pendingRequest {
            self.pendingRequest = nil
            self.state.becameWritable()
            self.dispatch(pending.request, to: pending.responder, context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesArrived {
            switch self.state {
            case .idle:
                self.headStarted = true
            case .waitingForWritability, .responding:
                // After a request's end: the bytes are the next request's (held back by NIO's pipelining
                // handler until this reply is written).
                self.bytesWhileBusy = true
            case .receivingBody, .discardingBody, .lingering, .closing:
                break
            }
            return
        }
        // The client half-closed. `HTTPServerPipelineHandler` delivers this after the replies to every
        // request before it; a request still unfinished will never end, so close now unless a reply is due.
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.inputClosed = true
            switch self.state {
            case .idle, .receivingBody, .discardingBody, .lingering:
                self.close(context: context)
            case .waitingForWritability, .responding:
                self.exchange.framing.keepAlive = false
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
                self.exchange.framing.keepAlive = false
                self.exchange.framing.omitsBody = false
                self.incoming = nil
                self.body = []
                self.state.finalReply()
                self.send(ReplyWriter.errorPage(status: status), context: context)
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
        self.headStarted = false
        self.bytesWhileBusy = false
        if self.headerDeadlineSet {
            // The head is whole: the rest of the request has the idle timeout's time.
            self.headerDeadlineSet = false
            self.setDeadline(self.idleDeadline, context: context)
        }
        self.exchange.framing = ReplyFraming(
            version: head.version, keepAlive: head.isKeepAlive, omitsBody: head.method == .HEAD)
        self.exchange.acceptsGzip = false
        self.exchange.serial &+= 1
        self.discardedBytes = 0
        self.lastReplay = nil

        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(head.headers.count)
        for (name, value) in head.headers { headers.append((name, value)) }
        let method = head.method.rawValue
        let decision = self.settings.screen.screen(
            method: method, uri: head.uri, version: (head.version.major, head.version.minor), headers: headers)
        switch decision {
        case .readBody(let admission):
            self.body.reserveCapacity(admission.declaredBodyBytes)
            self.incoming = Incoming(method: method, admission: admission, headers: headers)
            if admission.sendsContinue {
                // curl and others wait for this before sending a body (RFC 9110 §10.1.1).
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(Self.wrapOutboundOut(.head(interim)), promise: nil)
            }
        case .reject(let reply):
            if reply.status == 401 {
                self.settings.logger.debug("unauthorized", metadata: ["http.path": "\(head.uri)"])
            }
            let page = ReplyWriter.errorPage(status: reply.status, fields: reply.headers)
            self.replyEarly(page, closing: reply.closesConnection, context: context)
        case .preflight(let reply):
            let answer = ReplyWriter.empty(status: reply.status, fields: reply.headers)
            self.replyEarly(answer, closing: reply.closesConnection, context: context)
        }
    }

    private func received(body buffer: ByteBuffer, context: ChannelHandlerContext) {
        switch self.state {
        case .receivingBody:
            guard self.body.count + buffer.readableBytes <= self.settings.maxBodyBytes else {
                // A chunked body (or a lying Content-Length) past the limit: stop here, keep nothing.
                self.body = []
                self.incoming = nil
                return self.replyEarly(ReplyWriter.errorPage(status: 413), closing: true, context: context)
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
        if self.state == .receivingBody || self.state == .discardingBody {
            self.requestsEnded &+= 1
        }
        switch self.state {
        case .receivingBody:
            guard let incoming = self.incoming else { preconditionFailure("request end without a head") }
            self.incoming = nil
            self.deadline.suspend()
            let body = self.body
            self.body = []
            let request = HTTPRequest(
                method: incoming.method,
                path: incoming.admission.path,
                query: incoming.admission.query,
                headers: incoming.headers,
                body: body
            )
            self.exchange.acceptsGzip = request.acceptsGzip
            let responder = incoming.admission.route.responder
            guard self.activity?.beginWork() ?? true else {
                // Shed by the server an instant ago, from another event loop: it is closing this connection.
                return self.close(context: context)
            }
            let writable = context.channel.isWritable
            self.state.requestComplete(writable: writable)
            if writable {
                self.dispatch(request, to: responder, context: context)
            } else {
                self.pendingRequest = (request, responder)
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

    /// Hands `request` to `responder`; its reply comes back to ``replyArrived(_:serial:context:)`` on this
    /// event loop.
    private func dispatch(_ request: HTTPRequest, to responder: any HTTPResponder, context: ChannelHandlerContext) {
        let serial = self.exchange.serial
        let eventLoop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: eventLoop)
        responder.respond(to: request) { response in
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
        let keepAlive = self.exchange.framing.keepAlive
        self.state.replied(keepAlive: keepAlive)
        if keepAlive {
            // Before the write: writing `.end` may deliver the next pipelined request at once.
            self.armDeadline(context: context)
        }
        guard
            let reply = ReplyWriter.reply(
                to: response, acceptsGzip: self.exchange.acceptsGzip, gzipThreshold: self.settings.gzipThreshold)
        else {
            self.settings.logger.debug("responder gave a bad status", metadata: ["http.status": "\(response.status)"])
            self.send(ReplyWriter.errorPage(status: 500), context: context)
            return self.repliedWhileBusy(context: context)
        }
        if keepAlive {
            self.lastReplay = response.replay
        }
        self.send(reply, context: context)
        self.repliedWhileBusy(context: context)
    }

    /// After the reply to a request answered by a responder: the responder's work is over (the write's goes on),
    /// and if the next head had started meanwhile and is not complete yet, its header timeout starts now.
    private func repliedWhileBusy(context: ChannelHandlerContext) {
        self.activity?.endWork()
        if self.bytesWhileBusy, self.state == .idle, !self.headerDeadlineSet {
            self.bytesWhileBusy = false
            self.headStarted = true
            self.startHeaderDeadline(context: context)
        }
    }

    // MARK: Replays

    /// Whether the connection is between requests with nothing of the next one started: a request arriving now
    /// would be answered as the one before it was.
    var isBetweenRequests: Bool {
        self.state == .idle && !self.headStarted && !self.bytesWhileBusy && !self.inputClosed
    }

    /// ``RequestIntake`` holds back the start of a request until the rest arrives: the header timeout runs until
    /// the head has ended (`headEnded`), then the idle timeout, as if the decoder had the bytes. The connection
    /// stays between requests meanwhile.
    func requestHeldBack(headEnded: Bool) {
        guard let context = self.context, self.isBetweenRequests else { return }
        if !headEnded, !self.headerDeadlineSet {
            self.startHeaderDeadline(context: context)
        } else if headEnded, self.headerDeadlineSet {
            self.headerDeadlineSet = false
            self.setDeadline(self.idleDeadline, context: context)
        }
    }

    /// Answers a request that ``RequestIntake`` recognised, byte for byte, as one already answered: writes `reply`,
    /// the bytes written then, through the intake's context (past the encoder), with the bookkeeping of a reply
    /// (the connection busy while it is written, a request completed, the idle timeout from now). Only while
    /// ``isBetweenRequests``.
    func replay(_ reply: ByteBuffer, through intake: ChannelHandlerContext) {
        guard let context = self.context, self.isBetweenRequests else { return }
        guard self.activity?.beginWork() ?? true else {
            // Shed by the server an instant ago, from another event loop: it is closing this connection.
            return self.close(context: context)
        }
        self.exchange.serial &+= 1
        self.armDeadline(context: context)
        guard let activity = self.activity else {
            return intake.writeAndFlush(NIOAny(IOData.byteBuffer(reply)), promise: nil)
        }
        activity.requestCompleted(at: self.idleDeadline - self.settings.idleTimeout)
        let written = intake.eventLoop.makePromise(of: Void.self)
        intake.writeAndFlush(NIOAny(IOData.byteBuffer(reply)), promise: written)
        written.futureResult.whenComplete { _ in activity.endWork() }
    }

    // MARK: Replies

    /// Answers the current request at its head (or mid-body), before the body is read; `closing` when the
    /// unread body is not to be drained.
    private func replyEarly(_ reply: ReplyWriter.Reply, closing: Bool, context: ChannelHandlerContext) {
        if closing {
            self.exchange.framing.keepAlive = false
        }
        self.state.repliedEarly(keepAlive: self.exchange.framing.keepAlive)
        self.send(reply, context: context)
    }

    /// Writes one whole reply; closes afterwards (lingering first) unless the exchange is keep-alive. The
    /// connection has completed a request from then on, and is busy until the reply is written.
    private func send(_ reply: ReplyWriter.Reply, context: ChannelHandlerContext) {
        let framing = self.exchange.framing
        guard self.activity?.beginWork() ?? true else {
            // Shed by the server an instant ago, from another event loop: it is closing this connection.
            return self.close(context: context)
        }
        if !framing.keepAlive, self.state != .lingering {
            self.state.finalReply()
        }
        // The request counts as completed from the moment its reply is handed to the socket, before the client
        // can read it: a client that reads the reply and at once opens another connection must find this one
        // ranked as just served. It stays busy, so not shed, until the reply is written.
        self.activity?.requestCompleted(at: .now())
        let written = context.eventLoop.makePromise(of: Void.self)
        ReplyWriter.write(reply, framing: framing, context: context, promise: written)
        written.futureResult.assumeIsolated().whenComplete { result in
            self.activity?.endWork()
            if !framing.keepAlive {
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
        self.setDeadline(.now() + min(self.settings.idleTimeout, ConnectionDeadline.lingerTimeout), context: context)
    }

    private func close(context: ChannelHandlerContext) {
        self.state.close()
        self.deadline.stop()
        context.close(promise: nil)
    }

    // MARK: Deadline

    /// Gives the client ``ConnectionSettings/idleTimeout`` from now to deliver a whole request.
    private func armDeadline(context: ChannelHandlerContext) {
        self.idleDeadline = .now() + self.settings.idleTimeout
        self.headerDeadlineSet = false
        self.setDeadline(self.idleDeadline, context: context)
    }

    /// Gives the client ``ConnectionSettings/headerTimeout`` from now to complete the head it started (never
    /// more than the idle timeout leaves).
    private func startHeaderDeadline(context: ChannelHandlerContext) {
        self.headerDeadlineSet = true
        self.setDeadline(min(self.idleDeadline, .now() + self.settings.headerTimeout), context: context)
    }

    /// Closes the connection at `deadline` unless it is moved or suspended first.
    private func setDeadline(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        self.deadline.set(deadline) { self.scheduleTimer(at: $0, context: context) }
    }

    private func scheduleTimer(at time: NIODeadline, context: ChannelHandlerContext) -> Scheduled<Void> {
        context.eventLoop.assumeIsolated().scheduleTask(deadline: time) {
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        let expiry = self.deadline.timerFired(now: .now())
        guard self.state != .closing else { return }
        switch expiry {
        case .expired:
            self.settings.logger.debug(
                self.headerDeadlineSet
                    ? "closing connection: request head not complete within the header timeout"
                    : "closing idle or slow connection")
            self.close(context: context)
        case .rearm(let time):
            self.deadline.rearm(at: time) { self.scheduleTimer(at: $0, context: context) }
        case .none:
            break
        }
    }
}
