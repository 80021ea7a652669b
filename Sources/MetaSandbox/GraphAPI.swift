import Foundation
import HTTPTypes
import Hummingbird

/// The Graph API's routes: graph.facebook.com's objects, edges, token calls and the app-token
/// exchange, or graph.instagram.com's Instagram user; each versioned (`/v25.0/…`) and not.
enum GraphAPI {
    /// The middleware, outermost first: `GraphRequestMiddleware` records and reads the request,
    /// `MetaHeadersMiddleware` adds Meta's headers to whatever the API answers after it, faults
    /// answer before the API, an unknown version before any route, and `UnroutedPathMiddleware`
    /// answers what no route names.
    static func router(store: SandboxStore, host: GraphHost) -> Router<GraphRequestContext> {
        let replies = GraphReplies(store: store)
        let router = Router(context: GraphRequestContext.self)
        router.add(middleware: GraphRequestMiddleware(store: store, host: host))
        router.add(middleware: MetaHeadersMiddleware())
        router.add(middleware: SandboxFaultMiddleware(replies: replies))
        router.add(middleware: UnknownVersionMiddleware(replies: replies))
        let versioned = router.group("v{version}").add(middleware: GraphVersionPrefixMiddleware())
        switch host {
        case .facebook:
            router.add(middleware: UnroutedPathMiddleware(replies: replies) { routes, request in routes.unknownPath(request) })
            addFacebookRoutes(to: router, replies)
            addFacebookRoutes(to: versioned, replies)
        case .instagram:
            router.add(middleware: UnroutedPathMiddleware(replies: replies) { routes, request in routes.instagramUser(nil, request) })
            addInstagramRoutes(to: router, replies)
            addInstagramRoutes(to: versioned, replies)
        }
        return router
    }

    private static func addFacebookRoutes(to routes: some RouterMethods<GraphRequestContext>, _ replies: GraphReplies) {
        routes.graph("oauth/access_token", replies) { api, context in api.accessToken(context.graph) }
        routes.graph("debug_token", replies) { api, context in api.debugToken(context.graph) }
        routes.graph(":id", replies) { api, context in api.node(context.pathComponent("id"), context.graph) }
        routes.graph(":id/:edge", replies, methods: [.get, .delete]) { api, context in
            api.edge(context.pathComponent("edge"), of: context.pathComponent("id"), context.graph)
        }
        // A POST is a write, unless a method override makes it a read (MB-G4); a subscription write
        // first has Meta verify the callback it names (MB-G28).
        routes.on(":id/:edge", method: .post) { _, context in
            let request = context.graph
            let api = GraphRoutes(store: replies.store, now: Date())
            let (id, edge) = (context.pathComponent("id"), context.pathComponent("edge"))
            let answer =
                request.method == "POST"
                ? api.write(edge, of: id, request, verification: await CallbackVerification.make(for: request, store: replies.store))
                : api.edge(edge, of: id, request)
            return replies.response(answer, traceID: context.traceID)
        }
    }

    private static func addInstagramRoutes(to routes: some RouterMethods<GraphRequestContext>, _ replies: GraphReplies) {
        routes.graph(":id", replies) { api, context in api.instagramUser(context.pathComponent("id"), context.graph) }
    }
}

extension RouterMethods where Context == GraphRequestContext {
    /// A Graph route for the methods Graph clients send: GET, POST (a GET under the method
    /// override, MB-G4) and DELETE, which the handlers answer "read-only".
    fileprivate func graph(
        _ path: RouterPath, _ replies: GraphReplies, methods: [HTTPRequest.Method] = [.get, .post, .delete],
        _ answer: @escaping @Sendable (GraphRoutes, GraphRequestContext) -> GraphAnswer
    ) {
        for method in methods {
            on(path, method: method) { _, context in
                replies.response(answer(GraphRoutes(store: replies.store, now: Date()), context), traceID: context.traceID)
            }
        }
    }
}
