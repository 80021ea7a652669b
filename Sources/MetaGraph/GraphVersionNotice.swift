import Synchronization

/// What Meta says of the version that served a call (docs/meta-behaviour.md MB-G6): every reply
/// names it in `Facebook-Api-Version`, and a call Meta auto-upgraded from a deprecated version
/// carries `X-Ad-Api-Version-Warning`, on WhatsApp endpoints sometimes long before the version's
/// published end date.
public struct GraphVersionNotice: Sendable, Hashable {
    /// The endpoint without its query ("/v22.0/1204000000000001/phone_numbers").
    public let endpoint: String
    public let requested: String
    public let served: String?
    /// Meta's warning text, cut to 300 characters.
    public let warning: String?

    public init(endpoint: String, requested: String, served: String?, warning: String?) {
        self.endpoint = endpoint
        self.requested = requested
        self.served = served
        self.warning = warning.map { String($0.prefix(300)) }
    }

    /// Meta answered with another version than the one asked for, or said it upgraded the call.
    public var isUpgrade: Bool { warning != nil || (served.map { $0 != requested } ?? false) }

    static func from(_ response: HTTPResponse, endpoint: String, requested: String) -> GraphVersionNotice {
        GraphVersionNotice(
            endpoint: endpoint, requested: requested, served: response.header("Facebook-Api-Version"),
            warning: response.header("X-Ad-Api-Version-Warning"))
    }
}

/// The version notices of the replies a piece of work received. The Graph client records into the
/// log bound to the current task, so a check learns of every reply its own calls got, shared
/// (memoised) ones included.
public final class GraphReplyLog: Sendable {
    private let notices = Mutex<[GraphVersionNotice]>([])

    public init() {}

    @TaskLocal public static var current: GraphReplyLog?

    public func record(_ notice: GraphVersionNotice) {
        notices.withLock { if !$0.contains(notice) { $0.append(notice) } }
    }

    public var all: [GraphVersionNotice] { notices.withLock { $0 } }
}
