/// A Graph API error reply, in Meta's envelope (MB-G24):
/// `{"error":{"message","type","is_transient"?,"code","error_subcode"?,"fbtrace_id"}}`, HTTP 400
/// for classic Graph errors (token, permission and throttle errors alike).
struct GraphFailure: Error, Sendable {
    var status = 400
    var message: String
    var type = "OAuthException"
    var code: Int
    var subcode: Int?
    var isTransient: Bool?

    func envelope(fbtraceID: String) -> JSONValue {
        var error: [(String, JSONValue)] = [("message", .string(message)), ("type", .string(type))]
        if let isTransient { error.append(("is_transient", .bool(isTransient))) }
        error.append(("code", .int(code)))
        if let subcode { error.append(("error_subcode", .int(subcode))) }
        error.append(("fbtrace_id", .string(fbtraceID)))
        return ["error": .object(error)]
    }

    /// The `WWW-Authenticate` header Meta adds to 400 replies. The recorded 100/33 replies carry
    /// `OAuth "Facebook Platform" "invalid_request" "<message>"` (recorded replies, MB-G24);
    /// "invalid_token" for token errors and "insufficient_scope" for permission errors follow
    /// RFC 6750 and are the sandbox's choice (no recorded sample).
    var wwwAuthenticate: String? {
        guard status == 400 else { return nil }
        let kind =
            switch code {
            case 190, 104: "invalid_token"
            case 3, 10, 200...299: "insufficient_scope"
            default: "invalid_request"
            }
        return "OAuth \"Facebook Platform\" \"\(kind)\" \"\(message)\""
    }
}

extension GraphFailure {
    // MARK: Tokens (MB-G1)

    /// "Invalid OAuth access token." with no subcode, for a token Meta does not know.
    static let unknownToken = GraphFailure(message: "Invalid OAuth access token.", code: 190)

    /// A garbled or wrong-host token, typically an Instagram-Login (IGAA) token sent to
    /// graph.facebook.com (MB-G1, MB-G15).
    static let unparsableToken = GraphFailure(
        message: "Invalid OAuth access token - Cannot parse access token", code: 190)

    /// "<app-id>|<something>" where the part after `|` is neither the secret nor an issued token.
    /// Meta's wording for a bad app-token signature; no recorded sample in the facts.
    static let badAppTokenSignature = GraphFailure(message: "Invalid OAuth access token signature.", code: 190)

    /// An expired or revoked token used as the access token: 190 with its subcode (MB-G23).
    static func rejectedToken(_ rejection: TokenRejection) -> GraphFailure {
        GraphFailure(message: rejection.message, code: 190, subcode: rejection.subcode)
    }

    /// No token at all. Meta's code 104 for a missing access token.
    static let missingToken = GraphFailure(
        message: "An access token is required to request this resource.", code: 104)

    /// MB-G18: a proof that is not HMAC-SHA256(app secret, token).
    static let invalidAppSecretProof = GraphFailure(
        message: "Invalid appsecret_proof provided in the API argument", type: "GraphMethodException", code: 100)

    /// MB-G18: "Require App Secret" is on and the call carries no proof. The facts leave the HTTP status
    /// unconfirmed; the sandbox answers 400 like every other Graph error.
    static let appSecretProofRequired = GraphFailure(
        message: "API calls from the server require an appsecret_proof argument", type: "GraphMethodException",
        code: 100)

    // MARK: /oauth/access_token (MB-G17)

    static let badClientSecret = GraphFailure(message: "Error validating client secret.", code: 1)

    static let unknownApplication = GraphFailure(
        message: "Error validating application. Invalid application ID.", code: 101)

    static let missingClientID = GraphFailure(message: "Missing client_id parameter.", code: 101)

    /// The sandbox only implements the client-credentials grant (the only one the doctor uses).
    static func unsupportedGrantType(_ grantType: String) -> GraphFailure {
        GraphFailure(
            message: "(#100) Unsupported grant_type '\(grantType)': the sandbox issues app access tokens only (grant_type=client_credentials).",
            code: 100)
    }

    // MARK: Objects and parameters

    /// Code 100 subcode 33, word for word as recorded (MB-G24): an object that does not exist or that
    /// the token may not see.
    static func unsupportedRequest(method: String, objectID: String) -> GraphFailure {
        GraphFailure(
            message: """
                Unsupported \(method.lowercased()) request. Object with ID '\(objectID)' does not exist, cannot be loaded \
                due to missing permissions, or does not support this operation. Please read the Graph API documentation \
                at https://developers.facebook.com/docs/graph-api
                """,
            type: "GraphMethodException", code: 100, subcode: 33)
    }

    /// A `fields` entry the node type does not have.
    static func nonexistingField(_ field: String, nodeType: String) -> GraphFailure {
        GraphFailure(message: "(#100) Tried accessing nonexisting field (\(field)) on node type (\(nodeType))", code: 100)
    }

    /// A parameter whose value Meta cannot use (a paging cursor it never issued).
    static func invalidParameterValue(_ name: String) -> GraphFailure {
        GraphFailure(message: "(#100) Invalid parameter: \(name)", code: 100)
    }

    static func missingParameter(_ name: String) -> GraphFailure {
        GraphFailure(message: "(#100) The parameter \(name) is required", code: 100)
    }

    /// An edge the node does not have; Meta answers 2500 "Unknown path components" (MB-G24: the
    /// Instagram sample shows the wording).
    static func unknownPath(_ components: [String]) -> GraphFailure {
        GraphFailure(message: "Unknown path components: /" + components.joined(separator: "/"), code: 2500)
    }

    /// A version Meta does not serve. Not documented: the closest evidence, a mistyped version in a
    /// public issue, was answered 400 with code 2500 "Unknown path components" (MB-G7).
    static func unknownVersion(_ version: String) -> GraphFailure {
        GraphFailure(message: "Unknown path components: /\(version)", code: 2500)
    }

    /// `/me` with an app token: there is no current user.
    static let noCurrentUser = GraphFailure(
        message: "An active access token must be used to query information about the current user.", code: 2500)

    /// The v27.0 announcement retires HTTP method override for apps created from 2026-11-04 on
    /// (MB-G4). Meta documents no reply for it: the sandbox answers an invalid-parameter error, the
    /// code Meta gives for a parameter it does not accept.
    static let methodOverrideRetired = GraphFailure(
        message: "(#100) HTTP method override is not available for apps created after November 4, 2026.", code: 100)

    /// debug_token for an input token issued for another app than the caller's, word for word as
    /// captured in public issue threads (MB-G2): HTTP 400, not a description of the token.
    static let inputTokenOfAnotherApp = GraphFailure(
        message: "(#100) The App_id in the input_token did not match the Viewing App", code: 100)

    // MARK: Permissions

    /// `/debug_token` called with a token that is neither an app token nor the inspected token
    /// itself. Meta's wording; the facts only say such calls get a top-level error.
    static let debugTokenNeedsAppToken = GraphFailure(
        message: "(#100) You must provide an app access token, or a user access token that is an owner or developer of the app",
        code: 100)

    /// `/{app-id}/subscriptions` with a user, Page or system-user token: the edge needs an app
    /// token (MB-G20). Code 15 is Meta's "must be called with an app access_token".
    static let appTokenRequired = GraphFailure(
        message: "(#15) This method must be called with an app access_token.", code: 15)

    /// `/{page-id}/subscribed_apps` with a token that can see the Page but is not its Page token.
    static let pageTokenRequired = GraphFailure(
        message: "(#210) A page access token is required to request this resource.", code: 210)

    /// A Page token without the permission an edge needs (MB-G8: subscribed_apps needs
    /// pages_manage_metadata). Meta's exact wording is not in the facts; code 200 is its
    /// permission-error code.
    static func permissionRequired(_ permission: String) -> GraphFailure {
        GraphFailure(message: "(#200) Requires \(permission) permission to manage the object", code: 200)
    }

    /// A Page write from a person without the Page's MODERATE task (MB-G8). Meta's exact wording is
    /// not documented; code 200 is its permission error.
    static let moderateTaskRequired = GraphFailure(
        message: "(#200) The user must be able to perform the MODERATE task on the Page to subscribe apps", code: 200)

    /// Meta could not verify a subscription's callback (MB-G28). Not documented exactly: the wording
    /// and code 2200 are those most often reported by developers.
    static func callbackVerificationFailed(_ answer: CallbackAnswer) -> GraphFailure {
        let detail =
            if let status = answer.status {
                "HTTP Status Code = \(status); the response did not echo hub.challenge"
            } else {
                answer.failure ?? "no answer"
            }
        return GraphFailure(message: "(#2200) Callback verification failed with the following errors: \(detail)", code: 2200)
    }

    /// A write the sandbox does not model (code 3, "capability missing", MB-G21).
    static let readOnly = GraphFailure(
        message: "(#3) The meta-doctor sandbox models only the writes meta-doctor fix makes.", code: 3)

    // MARK: Faults (MB-G21, MB-G25)

    /// Meta's temporary failure: code 2, transient. The WhatsApp table says 503 for code 2; the
    /// sandbox answers 500, as the Graph API does for "An unexpected error has occurred".
    static let unexpectedError = GraphFailure(
        status: 500, message: "An unexpected error has occurred. Please retry your request later.", code: 2,
        isTransient: true)

    /// A throttle error (MB-G21: 400 on classic Graph), marked transient as Meta marks throttling.
    static func rateLimited(code: Int) -> GraphFailure {
        let message =
            switch code {
            case 4: "(#4) Application request limit reached"
            case 17: "(#17) User request limit reached"
            case 32: "(#32) Page request limit reached"
            case 613: "(#613) Calls to this api have exceeded the rate limit."
            case 80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try again."
            case 80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."
            case 80006: "(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again."
            case 80008: "(#80008) There have been too many calls to this WhatsApp Business account. Wait a bit and try again."
            default: "(#\(code)) Request limit reached"
            }
        return GraphFailure(message: message, code: code, isTransient: true)
    }
}
