extension GraphRoutes {
    /// `/oauth/access_token` with the client-credentials grant (MB-G17), as a GET with
    /// a query or a POST with a form. The token it issues is accepted from then on.
    func exchangeClientCredentials(_ request: GraphRequest) -> GraphAnswer {
        func failure(_ error: GraphFailure, _ usage: UsageSubject? = nil) -> GraphAnswer {
            GraphAnswer(result: .failure(error), usage: usage)
        }
        guard ["GET", "POST"].contains(request.method) else { return failure(.readOnly) }
        let parameters = request.parameters
        guard let clientID = parameters["client_id"], !clientID.isEmpty else { return failure(.missingClientID) }
        guard let app = model.apps[clientID] else { return failure(.unknownApplication) }
        let usage = UsageSubject.app(app.id)
        guard parameters["client_secret"] == app.secret else { return failure(.badClientSecret, usage) }
        let grantType = parameters["grant_type"] ?? ""
        guard grantType == "client_credentials" else { return failure(.unsupportedGrantType(grantType), usage) }
        // MB-G17: "<app-id>|<opaque>"; the opaque part's format is not documented.
        let token = app.id + "|" + SandboxStore.opaque(27)
        store.register(appToken: token)
        return GraphAnswer(result: .success(["access_token": .string(token), "token_type": "bearer"]), usage: usage)
    }

    /// `/debug_token` (MB-G1): HTTP 200 with `data` for an invalid, expired, unknown or unparsable
    /// input token, whose problem goes in `data.error` with `subcode` (not `error_subcode`). A token
    /// issued for another app is not described: HTTP 400, code 100 (MB-G2). A bad access token gets
    /// the usual top-level error instead.
    func debugToken(_ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        guard let input = request.parameters["input_token"], !input.isEmpty else {
            throw .missingParameter("input_token")
        }
        // Meta takes an app token, or the inspected token itself.
        guard caller.record.type == .app || caller.token == input else { throw .debugTokenNeedsAppToken }
        switch lookUp(input) {
        case .found(let record):
            guard record.appID == caller.record.appID else { throw .inputTokenOfAnotherApp }
            return ["data": debugData(record)]
        // The sandbox's choice for tokens Meta cannot resolve: is_valid false, the error Meta gives
        // when the token is used (190 with its message, no subcode), no scopes; no app_id since no
        // app is known. An IGAA token thus reads "Cannot parse access token".
        case .unparsable: return ["data": unresolvedData(.unparsableToken)]
        case .unknown: return ["data": unresolvedData(.unknownToken)]
        case .badAppSignature: return ["data": unresolvedData(.badAppTokenSignature)]
        }
    }

    private func unresolvedData(_ failure: GraphFailure) -> JSONValue {
        ["error": ["code": .int(failure.code), "message": .string(failure.message)], "is_valid": false, "scopes": []]
    }

    /// The fields in the order of Meta's system-user sample (MB-G1).
    private func debugData(_ record: TokenRecord) -> JSONValue {
        var data: [(String, JSONValue)] = [("app_id", .string(record.appID)), ("type", .string(record.type.rawValue))]
        if let app = model.apps[record.appID] { data.append(("application", .string(app.name))) }
        // App tokens have no expiry, user or scopes: the sandbox answers just validity (Meta's exact
        // reply for app tokens is not in the facts).
        guard record.type != .app else {
            return .object(data + [("is_valid", true), ("scopes", [])])
        }
        data.append(("data_access_expires_at", .int(record.dataAccessExpiresAt)))
        let rejection = record.rejection(at: now)
        if let rejection {
            data.append(
                ("error", ["code": 190, "message": .string(rejection.message), "subcode": .int(rejection.subcode)]))
        }
        data.append(("expires_at", .int(record.expiresAt)))
        data.append(("is_valid", .bool(rejection == nil)))
        data.append(("issued_at", .int(record.issuedAt)))
        // MB-G1: profile_id is the Page id of a PAGE token (a recorded sample shows it next to
        // expires_at 0).
        if let profileID = record.profileID { data.append(("profile_id", .string(profileID))) }
        data.append(("scopes", .strings(record.scopes)))
        if !record.granularScopes.isEmpty {
            data.append(
                ("granular_scopes", .array(record.granularScopes.map { scope in
                    var entry: [(String, JSONValue)] = [("scope", .string(scope.scope))]
                    if let targets = scope.targetIDs { entry.append(("target_ids", .strings(targets))) }
                    return .object(entry)
                })))
        }
        if let userID = record.userID { data.append(("user_id", .string(userID))) }
        return .object(data)
    }
}
