import Foundation

extension GraphRoutes {
    /// The writes `meta-doctor fix --apply` makes, as Meta answers them: each needs the token and
    /// permission Meta's reference names, changes what later reads return, and answers
    /// `{"success": true}` (MB-G8, MB-G19, MB-G20, MB-G28).
    func write(_ request: GraphRequest, _ caller: Caller, verification: CallbackVerification?) throws(GraphFailure) -> JSONValue {
        guard request.components.count == 2 else { throw .readOnly }
        let (id, edge) = (request.components[0], request.components[1])
        switch edge {
        case "subscribed_apps" where model.wabas[id] != nil: try subscribeToWABA(id, request, caller, verification: verification)
        case "subscribed_apps" where model.pages[id] != nil: try subscribeToPage(id, request, caller)
        case "subscriptions" where model.apps[id] != nil: try subscribeApp(id, request, caller, verification: verification)
        default: throw .readOnly
        }
        return ["success": true]
    }

    /// `POST /{waba-id}/subscribed_apps` with a token granting whatsapp_business_management on the
    /// WABA; an override callback comes with its verify token, and Meta verifies it (MB-G19, MB-G28).
    private func subscribeToWABA(
        _ wabaID: String, _ request: GraphRequest, _ caller: Caller, verification: CallbackVerification?
    ) throws(GraphFailure) {
        let isPerson = caller.record.type == .systemUser || caller.record.type == .user
        guard isPerson, caller.record.grants("whatsapp_business_management", on: wabaID) else {
            throw .permissionRequired("whatsapp_business_management")
        }
        let override = request.parameters["override_callback_uri"]
        if override != nil {
            guard !(request.parameters["verify_token"] ?? "").isEmpty, let verification else { throw .missingParameter("verify_token") }
            guard verification.answer.status == 200, verification.answer.body == verification.challenge else {
                throw .callbackVerificationFailed(verification.answer)
            }
        }
        store.update { $0.wabas[wabaID]?.subscribedApps[caller.record.appID] = WABASubscription(overrideCallbackURI: override) }
    }

    /// `POST /{page-id}/subscribed_apps?subscribed_fields=…` with the Page's own token, carrying
    /// pages_manage_metadata, from a person who may moderate the Page (MB-G8).
    private func subscribeToPage(_ pageID: String, _ request: GraphRequest, _ caller: Caller) throws(GraphFailure) {
        guard caller.record.type == .page, caller.record.profileID == pageID else { throw .pageTokenRequired }
        guard caller.record.grants("pages_manage_metadata", on: pageID) else { throw .permissionRequired("pages_manage_metadata") }
        guard caller.record.canModeratePage else { throw .moderateTaskRequired }
        let fields = (request.parameters["subscribed_fields"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !fields.isEmpty else { throw .missingParameter("subscribed_fields") }
        store.update { $0.pages[pageID]?.subscribedApps[caller.record.appID] = fields }
    }

    /// `POST /{app-id}/subscriptions` with the app's own app token: the subscription of `object`
    /// replaced, after Meta verified the callback with the verify token (MB-G20, MB-G28).
    private func subscribeApp(
        _ appID: String, _ request: GraphRequest, _ caller: Caller, verification: CallbackVerification?
    ) throws(GraphFailure) {
        guard caller.record.type == .app else { throw .appTokenRequired }
        guard caller.record.appID == appID else { throw .unsupportedRequest(method: request.method, objectID: appID) }
        guard let object = request.parameters["object"], !object.isEmpty else { throw .missingParameter("object") }
        guard let callback = request.parameters["callback_url"], !callback.isEmpty else { throw .missingParameter("callback_url") }
        guard let verification else { throw .missingParameter("verify_token") }
        let answer = verification.answer
        guard answer.status == 200, answer.body == verification.challenge else { throw .callbackVerificationFailed(answer) }
        let fields = (request.parameters["fields"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        store.update { model in
            model.apps[appID]?.subscriptions[object] = AppSubscriptionRecord(object: object, callbackURL: callback, fields: fields)
        }
    }
}

/// Meta's verification request to a callback during a subscription write, and its answer.
struct CallbackVerification: Sendable {
    let challenge: String
    let answer: CallbackAnswer

    /// Meta's verification of the callback a subscription write names (MB-G28): the app's
    /// `callback_url`, or a WABA's `override_callback_uri`; nil for any other request.
    static func make(for request: GraphRequest, store: SandboxStore) async -> CallbackVerification? {
        guard request.method == "POST", request.components.count == 2,
            let callback = request.components[1] == "subscriptions"
                ? request.parameters["callback_url"] : request.parameters["override_callback_uri"]
        else { return nil }
        let challenge = String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        let answer = await store.verifier.verify(
            callbackURL: callback, verifyToken: request.parameters["verify_token"] ?? "", challenge: challenge)
        return CallbackVerification(challenge: challenge, answer: answer)
    }
}
