import Foundation
import HTTPTypes
import Hummingbird
import MetaConfig

/// First of the chain: records every request as received and reads it as the Graph API does
/// (`GraphRequest`, the version Meta serves it with) for the middleware and routes after it. The
/// sandbox serves the methods Graph clients send; any other is not found, unrecorded.
struct GraphRequestMiddleware: RouterMiddleware {
    let store: SandboxStore
    /// The API this chain plays.
    let host: GraphHost

    func handle(
        _ request: Request, context: GraphRequestContext, next: (Request, GraphRequestContext) async throws -> Response
    ) async throws -> Response {
        guard [.get, .post, .delete].contains(request.method), request.uri.path.contains(where: { $0 != "/" }) else {
            throw HTTPError(.notFound)
        }
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) }, body: String(buffer: body))
        recorded.host = host
        store.record(recorded)
        var context = context
        context.graph = GraphRequest(recorded)
        context.servedVersion = store.model.versions.answer(
            for: context.graph.version ?? GraphVersions.defaultVersion,
            onWhatsAppObject: context.graph.components.first.map(store.model.isWhatsAppObject) ?? false)
        return try await next(request, context)
    }
}

/// Meta's headers on every reply of the API, ahead of the reply's own: Content-Type, the version
/// that served the call (Facebook-Api-Version, and X-Ad-Api-Version-Warning when Meta upgraded it,
/// MB-G5, MB-G6) and X-Fb-Trace-Id. A reply that already names its Content-Type did not come from
/// the API (a proxy's page, `SandboxFault.Kind.htmlPage`) and gets none of them.
struct MetaHeadersMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: GraphRequestContext, next: (Request, GraphRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        guard response.headers[.contentType] == nil else { return response }
        var headers: HTTPFields = [.contentType: "application/json; charset=UTF-8"]
        switch context.servedVersion {
        case .served(let version): headers[.facebookAPIVersion] = version
        case .upgraded(let version, let warning):
            headers[.facebookAPIVersion] = version
            headers[.adAPIVersionWarning] = warning
        case .unknown: break
        }
        headers[.fbTraceID] = context.traceID
        headers.append(contentsOf: response.headers)
        response.headers = headers
        return response
    }
}

/// A version Meta does not serve is HTTP 400, code 2500, whatever the path (MB-G7).
struct UnknownVersionMiddleware: RouterMiddleware {
    let replies: GraphReplies

    func handle(
        _ request: Request, context: GraphRequestContext, next: (Request, GraphRequestContext) async throws -> Response
    ) async throws -> Response {
        guard context.servedVersion == .unknown else { return try await next(request, context) }
        let requested = context.graph.version ?? GraphVersions.defaultVersion
        return replies.response(.unknownVersion(requested), traceID: context.traceID)
    }
}

/// Guards the routes under `v{version}`: a first component that starts with "v" but is no version
/// ("v25.0", "v2.10") is an object id to Graph, so the routes that took it for a version do not apply.
struct GraphVersionPrefixMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: GraphRequestContext, next: (Request, GraphRequestContext) async throws -> Response
    ) async throws -> Response {
        guard context.graph.version != nil else { throw HTTPError(.notFound) }
        return try await next(request, context)
    }
}

/// Answers the paths no route names, which Graph still answers (an unknown object, then 2500
/// "Unknown path components"): Hummingbird's router sends them, through the middleware, to its
/// not-found responder, whose error this turns into `answer`'s reply.
struct UnroutedPathMiddleware: RouterMiddleware {
    let replies: GraphReplies
    let answer: @Sendable (GraphRoutes, GraphRequest) -> GraphAnswer

    func handle(
        _ request: Request, context: GraphRequestContext, next: (Request, GraphRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let routes = GraphRoutes(store: replies.store, now: Date())
            return replies.response(answer(routes, context.graph), traceID: context.traceID)
        }
    }
}

extension HTTPField.Name {
    /// The version that served the call (MB-G5).
    static let facebookAPIVersion = Self("Facebook-Api-Version")!
    /// Meta's notice that it served a call with another version (MB-G6).
    static let adAPIVersionWarning = Self("X-Ad-Api-Version-Warning")!
    static let fbTraceID = Self("X-Fb-Trace-Id")!
}
