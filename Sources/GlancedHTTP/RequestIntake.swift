import NIOCore

/// The first handler of a connection, in front of NIO's HTTP decoder. It does two things with each read:
///
/// - It answers a **repeated request** itself: when the read is, byte for byte, a request this event loop's
///   ``ReplayCache`` has a current reply to, and the connection is between requests with nothing left in the
///   decoder, the recorded reply is written as it is (``HTTPConnectionHandler/replay(_:through:)``), past the
///   decoder, the router, the responder and the encoder. A client polling the same thing is answered by one
///   comparison and one write, with every byte what the full path would have written.
/// - Otherwise it hands the bytes on, telling ``HTTPConnectionHandler`` first that bytes arrived
///   (``RequestBytesArrived``: the decoder says nothing until a head is complete, and the header timeout runs from
///   a head's first byte). When the read is one whole request (``RequestShape``) on a connection between requests,
///   the bytes written in reply while it is handled are kept, and recorded in the cache if the reply came at once
///   and its responder said it may be replayed (``HTTPResponse/replay``).
///
/// A request that arrives in a few reads (Python's `http.client` writes the head and the body separately) is held
/// back until it is whole, then looked at as if it had come in one read; its header timeout runs meanwhile
/// (``HTTPConnectionHandler/requestHeldBack(headEnded:)``).
///
/// What the decoder holds is tracked without looking into it: it is empty at the start, and again once a read that
/// was exactly one request has been answered while nothing else was handed on. After any other read (pipelined
/// requests, a request in too many pieces, garbage) nothing is replayed on the connection again.
final class RequestIntake: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// What the decoder holds, as far as is known.
    private enum Decoder {
        /// Nothing: every byte handed on was a request now answered.
        case empty
        /// One whole request, handed on when this many requests had ended.
        case oneRequest(endedBefore: UInt64)
        /// Not known: nothing is replayed from now on.
        case unknown
    }

    private let cache: ReplayCache?
    private let connection: HTTPConnectionHandler
    private var decoder = Decoder.empty
    /// The reply bytes written while a whole request is handled, to record it.
    private var captured: ByteBuffer?
    private var capturing = false
    /// The reply written was too long, or not bytes.
    private var captureFailed = false
    /// The start of a request, held back until the rest arrives (in storage of its own, not the read's).
    private var held: ByteBuffer?
    /// The reads that made ``held``.
    private var heldReads = 0
    /// The most reads a request is held back for: a client writes its head and its body, perhaps in a few more
    /// pieces; one that sends a byte at a time goes to the decoder soon, not rescanned at every byte.
    static let maxHeldReads = 4

    /// - Parameters:
    ///   - cache: The event loop's recorded replies; `nil` records and replays nothing.
    ///   - connection: The connection's handler, behind the decoder.
    init(cache: ReplayCache?, connection: HTTPConnectionHandler) {
        self.cache = cache
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let cache = self.cache else { return self.handOn(context: context, data: data) }
        var bytes = Self.unwrapInboundIn(data)
        if var held = self.held {
            // The rest of a request held back: the whole so far is looked at as one read.
            self.held = nil
            held.writeImmutableBuffer(bytes)
            bytes = held
            self.heldReads += 1
        }
        guard self.decoderIsEmpty(), self.connection.isBetweenRequests else {
            self.decoder = .unknown
            return self.handOn(context: context, bytes: bytes)
        }
        switch RequestShape(bytes) {
        case .whole:
            break
        case .partial(let headEnded) where self.heldReads < Self.maxHeldReads:
            // The start of a plain request (a client that writes its head, then its body): kept here until the
            // rest comes, so that the request can be replayed or handed on in one piece. Its header timeout runs
            // until the head has ended, as it would in the decoder.
            self.connection.requestHeldBack(headEnded: headEnded)
            self.held = ByteBuffer(copying: bytes)
            return
        case .partial, .other:
            self.decoder = .unknown
            return self.handOn(context: context, bytes: bytes)
        }
        self.heldReads = 0
        if context.channel.isWritable, let reply = cache.reply(to: bytes) {
            return self.connection.replay(reply, through: context)
        }
        self.decoder = .oneRequest(endedBefore: self.connection.requestsEnded)
        self.capturing = true
        self.captureFailed = false
        self.handOn(context: context, bytes: bytes)
        self.capturing = false
        // Answered at once, and nothing else started: the reply written is the reply to these bytes.
        if self.decoderIsEmpty(), self.connection.isBetweenRequests, !self.captureFailed,
            let condition = self.connection.lastReplay, let captured = self.captured
        {
            cache.record(request: bytes, reply: captured, condition: condition)
        }
        self.captured = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, let held = self.held {
            // Nothing more will come: the decoder gets what there is, as it would have without the hold.
            self.held = nil
            self.decoder = .unknown
            self.handOn(context: context, bytes: held)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.held = nil
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if self.capturing, !self.captureFailed {
            if case .byteBuffer(let buffer) = Self.unwrapOutboundIn(data),
                (self.captured?.readableBytes ?? 0) + buffer.readableBytes <= ReplayCache.maxReplyBytes
            {
                if self.captured == nil {
                    self.captured = buffer
                } else {
                    self.captured!.writeImmutableBuffer(buffer)
                }
            } else {
                self.captureFailed = true
                self.captured = nil
            }
        }
        context.write(data, promise: promise)
    }

    private func handOn(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(RequestBytesArrived())
        context.fireChannelRead(data)
    }

    private func handOn(context: ChannelHandlerContext, bytes: ByteBuffer) {
        self.heldReads = 0
        self.handOn(context: context, data: Self.wrapInboundOut(bytes))
    }

    /// Whether the decoder holds nothing: the one request handed on last has been answered, nothing after it.
    private func decoderIsEmpty() -> Bool {
        switch self.decoder {
        case .empty:
            return true
        case .oneRequest(let endedBefore):
            guard self.connection.requestsEnded == endedBefore &+ 1, self.connection.isBetweenRequests else {
                return false
            }
            self.decoder = .empty
            return true
        case .unknown:
            return false
        }
    }
}

/// Bytes arrived from the client; the HTTP decoder is about to read them.
struct RequestBytesArrived {}
