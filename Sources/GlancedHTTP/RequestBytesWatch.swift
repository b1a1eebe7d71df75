import NIOCore

/// Sits in front of the HTTP decoder and tells ``HTTPConnectionHandler`` that bytes arrived, before the decoder
/// sees them (``RequestBytesArrived``): the decoder says nothing until a head is complete, and the header timeout
/// runs from a head's first byte.
final class RequestBytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(RequestBytesArrived())
        context.fireChannelRead(data)
    }
}

/// Bytes arrived from the client; the HTTP decoder is about to read them.
struct RequestBytesArrived {}
