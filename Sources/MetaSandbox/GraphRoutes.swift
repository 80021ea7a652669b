import Foundation

/// Whose usage a reply reports: the app's (`X-App-Usage`) or a business object's
/// (`X-Business-Use-Case-Usage`, MB-G21).
enum UsageSubject: Hashable {
    case app(String)
    case business(id: String, type: String)
}

/// A Graph reply before it becomes HTTP: the JSON or the error, and whose usage it reports.
struct GraphAnswer {
    var result: Result<JSONValue, GraphFailure>
    var usage: UsageSubject?
}

/// The Graph API emulator's handlers, one per route of `GraphAPI.router`: each answers one request
/// from the model. Reads, the app-token exchange, and the writes `meta-doctor fix` makes.
struct GraphRoutes {
    let store: SandboxStore
    let now: Date

    var model: IntegrationModel { store.model }

    /// `/{id}`: the object's fields.
    func node(_ id: String, _ request: GraphRequest) -> GraphAnswer {
        authorized(request) { caller throws(GraphFailure) in
            let node = try node(resolving: id, for: caller, method: request.method)
            return try view(of: node, for: caller).select(request.fields)
        }
    }

    /// `/{id}/{edge}`.
    func edge(_ name: String, of id: String, _ request: GraphRequest) -> GraphAnswer {
        authorized(request) { caller throws(GraphFailure) in
            let node = try node(resolving: id, for: caller, method: request.method)
            return try edge(name, of: node, request, caller)
        }
    }

    /// `POST /{id}/{edge}`: a write, judged after Meta's verification of the callback it names
    /// (MB-G28).
    func write(_ name: String, of id: String, _ request: GraphRequest, verification: CallbackVerification?) -> GraphAnswer {
        authorized(request, allowingWrites: true) { caller throws(GraphFailure) in try write(request, caller, verification: verification) }
    }

    /// `/debug_token`.
    func debugToken(_ request: GraphRequest) -> GraphAnswer {
        authorized(request) { caller throws(GraphFailure) in try debugToken(request, caller) }
    }

    /// `/oauth/access_token`: the app is known from `client_id`, not from a token.
    func accessToken(_ request: GraphRequest) -> GraphAnswer {
        if request.usesMethodOverride, let app = request.parameters["client_id"].flatMap({ model.apps[$0] }), app.isNewApp {
            return GraphAnswer(result: .failure(.methodOverrideRetired), usage: .app(app.id))
        }
        return exchangeClientCredentials(request)
    }

    /// A path no route names: after the checks every call passes, the object it starts with
    /// (none: 2500) must be one the caller sees (else 100/33), and the rest is 2500 "Unknown path
    /// components".
    func unknownPath(_ request: GraphRequest) -> GraphAnswer {
        authorized(request) { caller throws(GraphFailure) in
            guard let first = request.components.first else { throw .unknownPath([]) }
            _ = try node(resolving: first, for: caller, method: request.method)
            throw .unknownPath(Array(request.components.dropFirst()))
        }
    }

    /// A call with an access token: the token is checked and a retired method override refused
    /// before `read` runs, for reads only.
    private func authorized(
        _ request: GraphRequest, allowingWrites: Bool = false, _ read: (Caller) throws(GraphFailure) -> JSONValue
    ) -> GraphAnswer {
        let caller: Caller
        do { caller = try self.caller(for: request) } catch { return GraphAnswer(result: .failure(error), usage: nil) }
        if request.usesMethodOverride, model.apps[caller.record.appID]?.isNewApp ?? false {
            return GraphAnswer(result: .failure(.methodOverrideRetired), usage: .app(caller.record.appID))
        }
        let result = Result { () throws(GraphFailure) -> JSONValue in
            guard request.method == "GET" || allowingWrites else { throw .readOnly }
            return try read(caller)
        }
        // The recorded error replies carry X-App-Usage even with a system-user token (MB-G21); business
        // use-case usage comes with answers about a business object.
        let usage: UsageSubject =
            if case .success = result { usageSubject(of: request, record: caller.record) } else { .app(caller.record.appID) }
        return GraphAnswer(result: result, usage: usage)
    }

    /// The object `id` names; `me` is the caller's own.
    private func node(resolving id: String, for caller: Caller, method: String) throws(GraphFailure) -> GraphNode {
        try node(id == "me" ? ownID(of: caller.record) : id, for: caller, method: method)
    }

    /// What `/me` is: the Page of a Page token (MB-G25), the user or system user of a user token.
    private func ownID(of record: TokenRecord) throws(GraphFailure) -> String {
        let id = record.type == .page ? record.profileID : record.type == .app ? nil : record.userID
        guard let id else { throw .noCurrentUser }
        return id
    }

    // MARK: Usage

    /// MB-G21: business use-case usage applies to Page and system-user tokens acting on a business
    /// object (a Page, a WABA or its phone number, an Instagram account); everything else reports
    /// app usage.
    func usageSubject(of request: GraphRequest, record: TokenRecord) -> UsageSubject {
        if record.type == .page || record.type == .systemUser, let first = request.components.first {
            let id = first == "me" ? (record.type == .page ? record.profileID : record.userID) ?? "" : first
            if let object = businessObject(id) { return object }
        }
        return .app(record.appID)
    }

    /// Whose usage a throttled request reports, from its token without validating it (a throttle
    /// answers before the token is checked).
    func throttleSubject(of request: GraphRequest) -> UsageSubject? {
        if let token = request.token, case .found(let record) = lookUp(token) {
            return usageSubject(of: request, record: record)
        }
        return request.parameters["client_id"].flatMap { model.apps[$0] }.map { .app($0.id) }
    }

    /// The recorded usage headers key WhatsApp calls by the WABA, also for its phone numbers
    /// (recorded replies, MB-G24).
    private func businessObject(_ id: String) -> UsageSubject? {
        if model.pages[id] != nil { return .business(id: id, type: "pages") }
        if model.wabas[id] != nil { return .business(id: id, type: "whatsapp_business_management") }
        if let waba = model.waba(owningPhoneNumber: id) { return .business(id: waba.id, type: "whatsapp_business_management") }
        if model.instagramAccounts[id] != nil { return .business(id: id, type: "instagram") }
        return nil
    }
}
