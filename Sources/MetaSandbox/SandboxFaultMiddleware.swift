import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The scenario's faults on the routes they name (`SandboxStore.plan`): their latency first, then
/// an answer in place of the API's (a transient 5xx, a proxy's HTML page, a throttle, or none
/// ever), and a reply cut in half for malformed JSON.
struct SandboxFaultMiddleware: RouterMiddleware {
    let replies: GraphReplies

    func handle(
        _ request: Request, context: GraphRequestContext, next: (Request, GraphRequestContext) async throws -> Response
    ) async throws -> Response {
        if let throttle = replies.store.throttle,
            let subject = GraphRoutes(store: replies.store, now: Date()).throttleSubject(of: context.graph),
            let minutes = replies.store.throttledMinutes(subject)
        {
            // A fleet world past its budget (MB-G42): Meta's throttle, before the token is checked.
            let usage = replies.usageHeader(subject, throttledFor: minutes)
            return replies.response(.rateLimited(code: throttle.code(subject)), traceID: context.traceID, headers: [usage])
        }
        let plan = replies.store.plan(for: context.graph.components)
        if plan.latency > .zero { try await Task.sleep(for: plan.latency) }
        // A hang ends only when the server stops (cancellation).
        if case .hang = plan.answer { try await Task.sleep(for: .seconds(365 * 86_400)) }
        var response: Response
        switch plan.answer {
        case .serverError:
            response = replies.response(.unexpectedError, traceID: context.traceID)
        case .htmlPage:
            return GraphReplies.response(
                status: 502, body: Self.htmlErrorPage, headers: [("Content-Type", "text/html; charset=utf-8")])
        case .rateLimit(let code, let minutes):
            let subject = GraphRoutes(store: replies.store, now: Date()).throttleSubject(of: context.graph)
            let usage = subject.map { replies.usageHeader($0, throttledFor: minutes) }
            response = replies.response(.rateLimited(code: code), traceID: context.traceID, headers: usage.map { [$0] } ?? [])
        case .hang, nil:
            response = try await next(request, context)
        }
        if plan.malformedJSON {
            let body = String(buffer: try await Self.collect(response.body))
            response.status = .ok
            response.body = ResponseBody(byteBuffer: ByteBuffer(string: String(body.prefix(body.count / 2))))
        }
        return response
    }

    /// The bytes a response body writes.
    private static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await body.write(collector)
        return collector.buffer
    }

    private final class BodyCollector: ResponseBodyWriter {
        var buffer = ByteBuffer()
        func write(_ buffer: ByteBuffer) async throws { self.buffer.writeImmutableBuffer(buffer) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    private static let htmlErrorPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Error</title></head>
        <body><h1>Sorry, something went wrong.</h1><p>We're working on getting this fixed as soon as we can.</p></body>
        </html>
        """
}
