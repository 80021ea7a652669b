import Foundation
import Hummingbird

/// The request context of the Graph sandbox's routes: what `GraphRequestMiddleware` read of the
/// request on the way in, for the middleware and handlers after it.
struct GraphRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request as the Graph API reads it.
    var graph = GraphRequest.empty
    /// How Meta serves the version the request asked for (its default when it named none).
    var servedVersion = ServedVersions.Answer.unknown
    /// The reply's fbtrace_id: in X-Fb-Trace-Id and in every error body.
    let traceID = SandboxStore.opaque(11)

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// A path parameter of the route, percent-decoded as Graph decodes path components.
    func pathComponent(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
