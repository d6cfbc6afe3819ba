import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Replication

/// Closes a connection whose request body does not arrive in full within `timeout` of its
/// head (a "slowloris" on the body: a client that trickles a byte now and then keeps the read
/// idle timeout from ever firing). Central answers 408 when it has not started answering yet,
/// then closes; the handler waiting for the body sees the connection end and applies nothing.
final class RequestBodyDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let timeout: TimeAmount
    var deadline: Scheduled<Void>?
    /// A response head went out for the current request (a 408 can no longer be sent).
    var responding = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            responding = false
            deadline?.cancel()
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                let (handler, context) = bound.value
                handler.expire(context)
            }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) { responding = true }
        context.write(data, promise: promise)
    }

    func expire(_ context: ChannelHandlerContext) {
        deadline = nil
        guard context.channel.isActive else { return }
        if !responding {
            let seconds = timeout.nanoseconds / 1_000_000_000
            let body = ByteBuffer(
                string: encodeJSON(
                    SyncWire.ErrorBody(
                        error:
                            "the request body did not arrive within \(seconds) s; send it in one go (central closed the connection)",
                        code: "timeout")))
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            fields[.contentLength] = String(body.readableBytes)
            fields[.connection] = "close"
            context.write(
                wrapOutboundOut(.head(HTTPResponse(status: .requestTimeout, headerFields: fields))), promise: nil)
            context.write(wrapOutboundOut(.body(body)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
