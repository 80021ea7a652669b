import NIOCore
import NIOPosix
import NIOSSL

/// An endpoint that misbehaves in ways Hummingbird cannot: a raw SwiftNIO server, so tests can show
/// that every request of the doctor ends at its deadline, within its size bound, with a clear message.
public final class HostileEndpoint: Sendable {
    public enum Behavior: String, Sendable, CaseIterable {
        /// Answers 200 with a 100 MB body, streamed as fast as the client reads.
        case hugeBody = "huge-body"
        /// Answers the head, then one byte of body per second.
        case trickle
        /// Redirects every request to itself.
        case redirectLoop = "redirect-loop"
        /// Accepts the TCP connection and never says anything (a TLS handshake that stalls).
        case stall
        /// Sends the head and a few bytes of body, then closes the connection.
        case closeMidResponse = "close-mid-response"
        /// Completes the TLS handshake, reads the request, then closes the TCP connection without
        /// TLS's close_notify and without an answer.
        case closeWithoutNotify = "close-without-close-notify"
    }

    public let port: Int
    private let channel: any Channel

    /// Starts the endpoint on loopback; with `tls`, every behaviour but `stall` speaks TLS first.
    public static func start(_ behavior: Behavior, tls: TLSConfiguration? = nil) async throws -> HostileEndpoint {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Closing from before the TLS handler skips its close_notify.
                    let rawCloser = RawCloser()
                    try channel.pipeline.syncOperations.addHandler(rawCloser)
                    if let sslContext, behavior != .stall {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.addHandler(HostileHandler(behavior: behavior, rawCloser: rawCloser))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HostileEndpoint(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    public func stop() async {
        try? await channel.close()
    }
}

/// Reads the request head, then misbehaves.
private final class HostileHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: NIO confines a handler to its channel's event loop; `answered` is only touched there.
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behavior: HostileEndpoint.Behavior
    let rawCloser: RawCloser
    private var answered = false
    private static let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
    private static let hugeSize = 100 * 1024 * 1024

    init(behavior: HostileEndpoint.Behavior, rawCloser: RawCloser) {
        self.behavior = behavior
        self.rawCloser = rawCloser
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let text = buffer.readString(length: buffer.readableBytes) ?? ""
        // A redirect answers every request of a kept-alive connection; the other behaviours end theirs.
        guard !answered || behavior == .redirectLoop, behavior != .stall, text.contains("\r\n\r\n") || text.contains("\n\n") else {
            return
        }
        answered = true
        let path = text.split(separator: " ", maxSplits: 2).dropFirst().first.map(String.init) ?? "/"
        switch behavior {
        case .hugeBody:
            write(context, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(Self.hugeSize)\r\n\r\n")
            stream(context, remaining: Self.hugeSize)
        case .trickle:
            // Small enough for every body bound: only the deadline can end it.
            write(context, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
            trickle(context, remaining: 1000)
        case .redirectLoop:
            write(context, "HTTP/1.1 302 Found\r\nLocation: \(path)\r\nContent-Length: 0\r\n\r\n")
        case .closeMidResponse:
            write(context, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly a part")
            context.close(promise: nil)
        case .closeWithoutNotify:
            rawCloser.close()
        case .stall:
            break
        }
    }

    private func write(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }

    /// Writes the body chunk by chunk, each after the previous one left, so the server never holds
    /// more than a chunk; stops when the client goes away.
    private func stream(_ context: ChannelHandlerContext, remaining: Int) {
        guard remaining > 0, context.channel.isActive else { return }
        let size = min(remaining, Self.chunk.readableBytes)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(Self.chunk.getSlice(at: 0, length: size)!)).whenSuccess {
            let (handler, context) = loopBound.value
            handler.stream(context, remaining: remaining - size)
        }
    }

    private func trickle(_ context: ChannelHandlerContext, remaining: Int) {
        guard remaining > 0, context.channel.isActive else { return }
        write(context, "x")
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .seconds(1)) {
            let (handler, context) = loopBound.value
            handler.trickle(context, remaining: remaining - 1)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The first handler of a connection: closing from its context reaches the socket without passing
/// the TLS handler, so no close_notify is sent.
private final class RawCloser: ChannelDuplexHandler, @unchecked Sendable {
    // @unchecked: NIO confines a handler to its channel's event loop; `context` is only touched there.
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func close() { context?.close(promise: nil) }
}
