import DoctorKit
import MetaConfig
import MetaGraph

/// `meta-doctor discover`, as a value `init` can call too: what the configured tokens reach, read
/// with Graph reads only (no write, no token exchange). Each token is read on its own, so one that
/// Meta refuses leaves the others' findings whole.
///
/// ```swift
/// let result = await Discovery.run(configuration: configuration, client: client, userToken: token, by: deadline)
/// result.suggestedValues[.whatsappPhoneNumberID]   // "1205000000000001"
/// ```
public enum Discovery {
    /// Reads everything the configuration's tokens (and `userToken`, a person's user token) reach,
    /// through a memo of its own. Never throws: what could not be read is in `unread`.
    public static func run(
        configuration: MetaConfiguration, client: GraphClient, userToken: Secret? = nil, by deadline: ContinuousClock.Instant
    ) async -> DiscoveryResult {
        let credentials = GraphCredentials(configuration).adding(.userToken, userToken)
        let memo = GraphMemo(clients: [.facebook: client], credentials: credentials)
        return await run(configuration: configuration, graph: memo, hasUserToken: userToken != nil, by: deadline)
    }

    /// The same through a check run's memo (`ProbeEnvironment.graph`), so that reads the checks
    /// made are not made again. A check run's memo holds no user token.
    public static func run(environment: ProbeEnvironment, by deadline: ContinuousClock.Instant) async -> DiscoveryResult {
        await run(configuration: environment.configuration, graph: environment.graph, hasUserToken: false, by: deadline)
    }

    /// Why discovery cannot run at all (exit status 2), or nil: the configuration could not be read
    /// whole, a value would break a request, or no credential is there to read with.
    public static func unusable(_ configuration: MetaConfiguration, hasUserToken: Bool) -> String? {
        if let problem = configuration.loadProblems.first { return problem }
        for key in ConfigKey.allCases {
            if let value = configuration.values[key], let problem = value.controlCharacterDescription {
                return "\(value.provenance) \(problem): remove it, it would break the request."
            }
        }
        let hasApp = configuration.appID != nil && configuration.appSecret != nil
        guard hasApp || configuration.whatsappAccessToken != nil || configuration.pageAccessToken != nil || hasUserToken else {
            return "Nothing to read with: set META_APP_ID and META_APP_SECRET, WHATSAPP_ACCESS_TOKEN or META_PAGE_ACCESS_TOKEN (or give --user-token-env)."
        }
        return nil
    }

    static func run(configuration: MetaConfiguration, graph: GraphMemo, hasUserToken: Bool, by deadline: ContinuousClock.Instant) async
        -> DiscoveryResult
    {
        async let app = readApp(configuration, graph, deadline)
        async let whatsapp = readWhatsApp(configuration, graph, deadline)
        async let page = readPage(configuration, graph, deadline)
        async let managed = hasUserToken ? readManagedPages(graph, deadline) : nil
        var result = DiscoveryResult(configured: Dictionary(uniqueKeysWithValues: DiscoveryResult.idKeys.compactMap { key in
            configuration.string(key).map { (key, $0) }
        }))
        var unread: [DiscoveryResult.Unread] = []
        let (appFound, appUnread) = await app
        let (systemUser, whatsappUnread) = await whatsapp
        let (pageFound, pageUnread) = await page
        let managedRead = await managed
        result.app = appFound
        result.whatsapp = systemUser
        result.page = pageFound
        result.managedPages = managedRead?.pages
        unread += appUnread + whatsappUnread + pageUnread + (managedRead?.unread ?? [])
        result.unread = unread
        return result
    }

    /// Ids that go into a URL path must be digits only: a token pasted in an id's place never
    /// travels in a URL.
    static func isID(_ value: String) -> Bool { !value.isEmpty && value.allSatisfy(\.isASCIIDigit) }

    static func unread(_ subject: String, _ error: GraphError) -> DiscoveryResult.Unread {
        DiscoveryResult.Unread(subject: subject, message: error.description, couldNotVerify: error.kind.isCouldNotVerify)
    }

    /// The app: `APP_ID|APP_SECRET` is accepted as the app token only when the secret is that
    /// app's (MB-G22, MB-G33), so reading the app with it shows whose the secret is.
    static func readApp(_ configuration: MetaConfiguration, _ graph: GraphMemo, _ deadline: ContinuousClock.Instant) async
        -> (DiscoveryResult.App?, [DiscoveryResult.Unread])
    {
        guard let appID = configuration.appID, configuration.appSecret != nil, isID(appID) else { return (nil, []) }
        do {
            let app = try await graph.read(GraphCalls.app(appID), by: deadline)
            return (DiscoveryResult.App(id: app.id, name: app.name), [])
        } catch {
            return (nil, [unread("the app (META_APP_ID with META_APP_SECRET as its app token)", error)])
        }
    }

    /// The WhatsApp token's user, and the WABAs its granular scopes name (MB-G26) with their
    /// numbers (every page, MB-G10); for a token not limited to assets, the configured WABA.
    static func readWhatsApp(_ configuration: MetaConfiguration, _ graph: GraphMemo, _ deadline: ContinuousClock.Instant) async
        -> (DiscoveryResult.WhatsAppToken?, [DiscoveryResult.Unread])
    {
        guard configuration.whatsappAccessToken != nil else { return (nil, []) }
        var unreadList: [DiscoveryResult.Unread] = []
        let (debugResult, meResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.read(GraphCalls.debugToken(.whatsappToken), by: deadline) },
            { () async throws(GraphError) in try await graph.read(GraphCalls.me(.whatsappToken), by: deadline) })
        var token = DiscoveryResult.WhatsAppToken()
        switch meResult {
        case .success(let me): token.user = DiscoveryResult.Named(id: me.id, name: me.name)
        case .failure(let error): unreadList.append(unread("the WhatsApp token's user (/me)", error))
        }
        var wabaIDs: [String] = []
        switch debugResult {
        case .success(let info):
            token.type = info.type?.rawValue
            token.appID = info.appID
            let targets = WhatsAppTokenCheck.requiredScopes.compactMap { info.targetIDs(of: $0) }
            if targets.isEmpty {
                token.assetScoped = false
            } else {
                token.assetScoped = true
                for id in targets.flatMap({ $0 }) where !wabaIDs.contains(id) { wabaIDs.append(id) }
            }
        case .failure(let error):
            unreadList.append(unread("the WhatsApp token's scopes (debug_token)", error))
        }
        if token.assetScoped != true, let configured = configuration.wabaID, isID(configured) { wabaIDs = [configured] }
        wabaIDs = wabaIDs.filter(isID)
        let wabas = await withTaskGroup(of: (Int, DiscoveryResult.WABA, [DiscoveryResult.Unread]).self) { group in
            for (index, id) in wabaIDs.enumerated() {
                group.addTask {
                    let (node, numbers) = await bothCalls(
                        { () async throws(GraphError) in try await graph.read(GraphCalls.waba(id), by: deadline) },
                        { () async throws(GraphError) in try await graph.read(GraphCalls.wabaPhoneNumbers(id), by: deadline) })
                    var waba = DiscoveryResult.WABA(id: id)
                    var problems: [DiscoveryResult.Unread] = []
                    switch node {
                    case .success(let value): waba.name = value.name
                    case .failure(let error): problems.append(unread("WABA \(id)", error))
                    }
                    switch numbers {
                    case .success(let list):
                        waba.phoneNumbers = list.map {
                            DiscoveryResult.PhoneNumber(
                                id: $0.id, displayPhoneNumber: $0.displayPhoneNumber, verifiedName: $0.verifiedName, status: $0.status?.rawValue)
                        }
                    case .failure(let error): problems.append(unread("WABA \(id)'s phone numbers", error))
                    }
                    return (index, waba, problems)
                }
            }
            var collected: [(Int, DiscoveryResult.WABA, [DiscoveryResult.Unread])] = []
            for await item in group { collected.append(item) }
            return collected.sorted { $0.0 < $1.0 }
        }
        token.wabas = wabas.map(\.1)
        unreadList += wabas.flatMap(\.2)
        return (token, unreadList)
    }

    /// The Page token's Page (MB-G25) and its linked Instagram account, read with the Page token.
    static func readPage(_ configuration: MetaConfiguration, _ graph: GraphMemo, _ deadline: ContinuousClock.Instant) async
        -> (DiscoveryResult.Page?, [DiscoveryResult.Unread])
    {
        guard configuration.pageAccessToken != nil else { return (nil, []) }
        let me: NamedNode
        do { me = try await graph.read(GraphCalls.me(.pageToken), by: deadline) } catch {
            return (nil, [unread("the Page token's Page (/me)", error)])
        }
        var page = DiscoveryResult.Page(id: me.id, name: me.name)
        let node: PageNode
        do { node = try await graph.read(GraphCalls.page(me.id, token: .pageToken), by: deadline) } catch {
            page.instagramLink = .unread
            return (page, [unread("Page \(me.id)'s linked Instagram account", error)])
        }
        guard let linked = node.instagramBusinessAccount?.id, isID(linked) else {
            page.instagramLink = .none
            return (page, [])
        }
        do {
            let user = try await graph.read(GraphCalls.instagramUser(linked, token: .pageToken), by: deadline)
            page.instagramLink = .linked(DiscoveryResult.InstagramAccount(id: linked, username: user.username))
            return (page, [])
        } catch {
            page.instagramLink = .linked(DiscoveryResult.InstagramAccount(id: linked, username: nil))
            return (page, [unread("Instagram account \(linked)", error)])
        }
    }

    /// The Pages a user token's person manages: ids and names only, never their tokens (MB-G31).
    static func readManagedPages(_ graph: GraphMemo, _ deadline: ContinuousClock.Instant) async
        -> (pages: [DiscoveryResult.Named]?, unread: [DiscoveryResult.Unread])
    {
        do {
            let pages = try await graph.read(GraphCalls.managedPages(), by: deadline)
            return (pages.map { DiscoveryResult.Named(id: $0.id, name: $0.name) }, [])
        } catch {
            return (nil, [unread("the Pages the user token manages (/me/accounts)", error)])
        }
    }
}
