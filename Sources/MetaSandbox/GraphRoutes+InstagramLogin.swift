import Foundation

extension GraphRoutes {
    /// graph.instagram.com, the Instagram API with Instagram Login (docs/meta-behaviour.md MB-G15,
    /// MB-G16): `GET /me` (or the account's id) with an Instagram User token answers the account's
    /// `user_id` (the Instagram professional account id) and `username`, with `id` always.
    /// `objectID` is the route's `{id}`; nil for a path no route names.
    func instagramUser(_ objectID: String?, _ request: GraphRequest) -> GraphAnswer {
        let result = Result { () throws(GraphFailure) -> JSONValue in try instagramUserFields(objectID, request) }
        return GraphAnswer(result: result, usage: nil)
    }

    private func instagramUserFields(_ objectID: String?, _ request: GraphRequest) throws(GraphFailure) -> JSONValue {
        guard let token = request.token, !token.isEmpty else { throw .missingToken }
        // Not documented: what graph.instagram.com answers for a token it does not serve (a Facebook
        // Page token among them). The sandbox answers as graph.facebook.com does for a token it
        // cannot parse (MB-G15).
        guard let record = model.tokens[token], record.type == .instagramUser, let accountID = record.userID,
            let account = model.instagramAccounts[accountID]
        else { throw .unparsableToken }
        if let rejection = record.rejection(at: now) { throw .rejectedToken(rejection) }
        guard request.method == "GET" else { throw .readOnly }
        guard let objectID, objectID == "me" || objectID == accountID else {
            throw .unsupportedRequest(method: request.method, objectID: objectID ?? request.components.first ?? "")
        }
        let fields: [(String, JSONValue)] = [
            ("user_id", .string(account.id)), ("username", .string(account.username)), ("name", .string(account.name)),
            // The app-scoped id of the Instagram user; the sandbox derives a stable one.
            ("id", .string("2" + account.id.dropFirst())),
        ]
        let wanted = request.fields ?? ["id", "username"]
        return .object(fields.filter { wanted.contains($0.0) || $0.0 == "id" })
    }
}
