import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A Hummingbird application serving on a free loopback port until `stop()`. `start` returns once
/// the server listens; the application runs in a task that `stop` cancels (Hummingbird shuts down
/// gracefully on cancellation).
final class LoopbackServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

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
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            _ = await task.result
            throw SandboxStartError(message: "the sandbox server could not listen on \(host):\(port)")
        }
        return LoopbackServer(port: bound, task: task)
    }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    func stop() async {
        task.cancel()
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
