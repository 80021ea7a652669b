import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A Hummingbird application serving on a free loopback port until `stop()`. `start` returns once
/// the server listens.
///
/// `stop` shuts the server down gracefully and cancels only what is still busy after
/// `busyRequestGrace`. Cancelling the serving task at once would drop a connection accepted but not
/// yet handed to Hummingbird, and NIO stops the process for that ("Deinited NIOAsyncWriter without
/// calling finish()", apple/swift-nio#3481, whose maintainers advise a graceful shutdown): a client
/// still connecting while a test stops its sandbox crashed the whole test run.
final class LoopbackServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// How long a request still running at `stop` (a hang fault, a slow reply) may go on before it is
    /// cancelled. The accepted connections are all handed over long before.
    static let busyRequestGrace: Duration = .seconds(1)

    static func start<Context: RequestContext>(
        router: Router<Context>, server: HTTPServerBuilder = .http1(), host: String = "127.0.0.1", port: Int = 0
    ) async throws -> LoopbackServer where Context.Source == ApplicationRequestContextSource {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, server: server, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: quietLogger)
        var configuration = ServiceGroupConfiguration(services: [app], logger: quietLogger)
        configuration.maximumGracefulShutdownDuration = busyRequestGrace
        let group = ServiceGroup(configuration: configuration)
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            _ = await task.result
            throw SandboxStartError(message: "the sandbox server could not listen on \(host):\(port)")
        }
        return LoopbackServer(port: bound, group: group, task: task)
    }

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// The sandbox's servers log nothing below critical: a test or a demo prints only its own output.
let quietLogger: Logger = {
    var logger = Logger(label: "meta-doctor.sandbox")
    logger.logLevel = .critical
    return logger
}()

/// The sandbox could not start.
public struct SandboxStartError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
