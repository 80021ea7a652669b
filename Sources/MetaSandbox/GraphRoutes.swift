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

/// The Graph API emulator: answers one request from the model. Versioned and unversioned paths
/// alike; reads only, apart from the app-token exchange.
struct GraphRoutes {
    let store: SandboxStore
    let now: Date

    var model: IntegrationModel { store.model }

    /// `verification` is Meta's verification of the callback a subscription write names, made
    /// before the write is judged (MB-G28).
    func answer(_ request: GraphRequest, verification: CallbackVerification? = nil) -> GraphAnswer {
        if request.components == ["oauth", "access_token"] {
            if request.usesMethodOverride, let app = request.parameters["client_id"].flatMap({ model.apps[$0] }), app.isNewApp {
                return GraphAnswer(result: .failure(.methodOverrideRetired), usage: .app(app.id))
            }
            return accessToken(request)
        }
        let caller: Caller
        do { caller = try self.caller(for: request) } catch { return GraphAnswer(result: .failure(error), usage: nil) }
        if request.usesMethodOverride, model.apps[caller.record.appID]?.isNewApp ?? false {
            return GraphAnswer(result: .failure(.methodOverrideRetired), usage: .app(caller.record.appID))
        }
        let result = Result { () throws(GraphFailure) -> JSONValue in
            request.method == "POST" ? try write(request, caller, verification: verification) : try route(request, caller)
        }
        // The recorded error replies carry X-App-Usage even with a system-user token (MB-G21); business
        // use-case usage comes with answers about a business object.
        let usage: UsageSubject =
            if case .success = result { usageSubject(of: request, record: caller.record) } else { .app(caller.record.appID) }
        return GraphAnswer(result: result, usage: usage)
    }

    private func route(_ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        guard request.method == "GET" else { throw .readOnly }
        var path = request.components
        guard let first = path.first else { throw .unknownPath([]) }
        if path == ["debug_token"] { return try debugToken(request, caller) }
        if first == "me" { path[0] = try ownID(of: caller.record) }
        let node = try node(path[0], for: caller, method: request.method)
        switch path.count {
        case 1: return try view(of: node, for: caller).select(request.fields)
        case 2: return try edge(path[1], of: node, request, caller)
        default: throw .unknownPath(Array(path.dropFirst()))
        }
    }

    /// What `/me` is: the Page of a Page token (MB-G25), the user or system user of a user token.
    private func ownID(of record: TokenRecord) throws(GraphFailure) -> String {
        let id = record.type == .page ? record.profileID : record.type == .app ? nil : record.userID
        guard let id else { throw .noCurrentUser }
        return id
    }

    /// A WABA or one of its phone numbers: the objects whose calls Meta auto-upgrades early.
    func isWhatsAppObject(_ id: String) -> Bool { model.wabas[id] != nil || model.waba(owningPhoneNumber: id) != nil }

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
