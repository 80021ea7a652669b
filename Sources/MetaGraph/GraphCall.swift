import Crypto
import Foundation
import MetaConfig

/// The secrets a Graph call may carry, by the configuration's name for them. A call names the
/// secret; the run's credentials supply it, so a call value, its description and the memo's key
/// never hold one.
public enum GraphSecret: String, Sendable, Hashable, CaseIterable {
    case appSecret
    case pageToken
    case whatsappToken
    case instagramToken
    /// The verify token, which Meta sends back to the callback when it verifies it.
    case verifyToken
    /// A person's user token, given to `discover` with `--user-token-env`: it lists the Pages the
    /// person manages. Never part of the configuration.
    case userToken

    /// How `explain` and plans name it.
    public var label: String {
        switch self {
        case .appSecret: "app secret"
        case .pageToken: "Page token"
        case .whatsappToken: "system user's token"
        case .instagramToken: "Instagram token"
        case .verifyToken: "verify token"
        case .userToken: "user token"
        }
    }
}

/// Which of Meta's Graph APIs a call goes to.
public enum GraphAPI: String, Sendable, Hashable {
    case facebook = "graph.facebook.com"
    /// The Instagram API with Instagram Login (docs/meta-behaviour.md MB-G15).
    case instagram = "graph.instagram.com"
}

/// The token in a call's `Authorization` header.
public enum GraphAuthorization: Sendable, Hashable {
    /// None: the client-credentials exchange carries the secret in its form body.
    case none
    /// The app access token. Meta documents `APP_ID|APP_SECRET` as one (MB-G22), so app-token reads
    /// need not wait for the client-credentials exchange that app.secret makes.
    case appToken
    /// A user, Page or system-user token; on graph.facebook.com with appsecret_proof.
    case token(GraphSecret)

    var label: String {
        switch self {
        case .none: "no token: the secret in the form body"
        case .appToken: "app token"
        case .token(let secret): secret.label
        }
    }
}

/// A parameter's value: text, or a secret the credentials supply.
public enum GraphValue: Sendable, Hashable {
    case text(String)
    case secret(GraphSecret)
}

/// One Graph request as a value: the client executes it, the run's memo keys on it, `explain`
/// prints it and `fix` plans with it.
public struct GraphRequestSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
    }

    public let method: Method
    public let api: GraphAPI
    /// After the version: "/1204000000000001/phone_numbers", or a template ("/{waba-id}/phone_numbers").
    public let path: String
    public let fields: [String]
    /// Query parameters of a read, form parameters of a write or of the token exchange.
    public let parameters: [String: GraphValue]
    public let authorization: GraphAuthorization

    public init(
        _ path: String, method: Method = .get, api: GraphAPI = .facebook, fields: [String] = [],
        parameters: [String: GraphValue] = [:], authorization: GraphAuthorization
    ) {
        self.method = method
        self.api = api
        self.path = path
        self.fields = fields
        self.parameters = parameters
        self.authorization = authorization
    }

    /// The token the request carries, by name.
    public var authorizationLabel: String { authorization.label }

    /// "GET /{waba-id}/phone_numbers?fields=id,… (system user's token)": secrets by name only.
    public var description: String {
        var query = fields.isEmpty ? [] : ["fields=" + fields.joined(separator: ",")]
        query += parameters.keys.sorted().map { name in
            switch parameters[name]! {
            case .text(let value): "\(name)=\(value)"
            case .secret(let secret): "\(name)={\(secret.label)}"
            }
        }
        let host = api == .instagram ? api.rawValue : ""
        let target = host + path + (query.isEmpty ? "" : (method == .get ? "?" : " with ") + query.joined(separator: "&"))
        return "\(method.rawValue) \(target) (\(authorization.label))"
    }
}

/// The secrets of one run, and the app id `APP_ID|APP_SECRET` is made of.
public struct GraphCredentials: Sendable {
    public let appID: String?
    let secrets: [GraphSecret: Secret]

    public init(appID: String?, secrets: [GraphSecret: Secret]) {
        self.appID = appID
        self.secrets = secrets
    }

    public init(_ configuration: MetaConfiguration) {
        var secrets: [GraphSecret: Secret] = [:]
        secrets[.appSecret] = configuration.appSecret
        secrets[.pageToken] = configuration.pageAccessToken
        secrets[.whatsappToken] = configuration.whatsappAccessToken
        secrets[.instagramToken] = configuration.instagramAccessToken
        secrets[.verifyToken] = configuration.verifyToken
        self.init(appID: configuration.appID, secrets: secrets)
    }

    public subscript(_ secret: GraphSecret) -> Secret? { secrets[secret] }

    /// These credentials with `secret` supplied by `value` too.
    public func adding(_ secret: GraphSecret, _ value: Secret?) -> GraphCredentials {
        var secrets = self.secrets
        secrets[secret] = value
        return GraphCredentials(appID: appID, secrets: secrets)
    }

    /// The request's parameters as a plan shows them: a secret by its name only. Not even its
    /// fingerprint: a verify token is often short and chosen by a person, and a hash prefix would let
    /// a reader of the plan test guesses.
    public func displayedParameters(of request: GraphRequestSpec) -> [String: String] {
        request.parameters.mapValues { value in
            switch value {
            case .text(let text): text
            case .secret(let secret): secrets[secret] == nil ? "{\(secret.label), not configured}" : "{\(secret.label)}"
            }
        }
    }

    /// What the request sends, with each secret as its fingerprint: the memo's key. Two names for
    /// one token (the Instagram token is the Page token by default) thus share their reads.
    public func identity(of request: GraphRequestSpec) -> String {
        func fingerprint(_ secret: GraphSecret) -> String { secrets[secret]?.fingerprint ?? "missing:\(secret.rawValue)" }
        let token: String
        switch request.authorization {
        case .none: token = "none"
        case .appToken: token = "app:\(appID ?? ""):\(fingerprint(.appSecret))"
        case .token(let name): token = fingerprint(name)
        }
        let parameters = request.parameters.keys.sorted().map { name -> String in
            switch request.parameters[name]! {
            case .text(let value): "\(name)=\(value)"
            case .secret(let secret): "\(name)=\(fingerprint(secret))"
            }
        }
        return [request.method.rawValue, request.api.rawValue, request.path, request.fields.joined(separator: ","), token]
            .joined(separator: " ") + " " + parameters.joined(separator: "&")
    }
}

/// A read the run's memo can make once and share: its request, and how its reply is decoded.
public protocol GraphRead: Sendable {
    associatedtype Reply: Sendable
    var request: GraphRequestSpec { get }
    func perform(with client: GraphClient, credentials: GraphCredentials) async throws(GraphError) -> Reply
}

/// A call whose reply is one JSON object (or its `data`, for Meta's enveloped replies).
public struct GraphCall<Reply: Decodable & Sendable>: GraphRead, Hashable {
    public let request: GraphRequestSpec
    /// Meta wraps the reply in `{"data": …}` (debug_token, edges).
    let unwrapsData: Bool

    public init(_ request: GraphRequestSpec, unwrapsData: Bool = false) {
        self.request = request
        self.unwrapsData = unwrapsData
    }

    public func perform(with client: GraphClient, credentials: GraphCredentials) async throws(GraphError) -> Reply {
        if unwrapsData {
            let envelope: DataEnvelope<Reply> = try await client.send(request, credentials: credentials)
            return envelope.data
        }
        return try await client.send(request, credentials: credentials)
    }
}

/// A cursor-paged list (MB-G10): every page, following `paging.cursors.after` while Meta sends
/// `paging.next`, at most `maxPages`. The `next` URL itself is never requested: it carries the
/// access token in its query.
public struct GraphListCall<Element: Decodable & Sendable>: GraphRead, Hashable {
    public let request: GraphRequestSpec
    public let maxPages: Int

    public init(_ request: GraphRequestSpec, maxPages: Int = 10) {
        self.request = request
        self.maxPages = maxPages
    }

    public func perform(with client: GraphClient, credentials: GraphCredentials) async throws(GraphError) -> [Element] {
        var elements: [Element] = []
        var after: String?
        for _ in 0..<maxPages {
            var page = request.parameters
            if let after { page["after"] = .text(after) }
            let next = GraphRequestSpec(
                request.path, method: request.method, api: request.api, fields: request.fields, parameters: page,
                authorization: request.authorization)
            let reply: PagedEnvelope<[Element]> = try await client.send(next, credentials: credentials)
            elements += reply.data
            guard reply.paging?.next != nil, let cursor = reply.paging?.cursors?.after, !cursor.isEmpty, cursor != after else {
                return elements
            }
            after = cursor
        }
        return elements
    }
}
