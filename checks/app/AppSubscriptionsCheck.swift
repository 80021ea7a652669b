import DoctorKit
import MetaConfig
import MetaGraph

/// `app.subscriptions`: the app's webhook subscriptions deliver each enabled platform's events to
/// the configured URL. The first half of the subscription chain (the Page's or WABA's own
/// subscription is the second).
public struct AppSubscriptionsCheck: MetaProbe {
    public static let id: CheckID = "app.subscriptions"

    /// The webhook object and the fields each platform needs.
    static func requirement(for platform: Platform) -> (object: WebhookObject, fields: [String]) {
        switch platform {
        case .messenger: (.page, ["messages", "messaging_postbacks"])
        case .whatsapp: (.whatsappBusinessAccount, ["messages"])
        case .instagram: (.instagram, ["messages"])
        }
    }

    public let description = CheckDescription(
        id: AppSubscriptionsCheck.id,
        title: "The app's webhooks are subscribed",
        prerequisites: [AppSecretCheck.id],
        guideStep: GuideSteps.appWebhooks,
        summary: """
            Reads the app's webhook subscriptions with the app token: for each enabled platform its object (page, \
            whatsapp_business_account, instagram) must be active, carry the required fields (page: messages, \
            messaging_postbacks; whatsapp_business_account and instagram: messages) and call the configured webhook URL. \
            For WhatsApp the effective URL is compared: a phone number's or the WABA's override wins over the app's.
            """,
        calls: AppSubscriptionsCheck.graphReads(.placeholders).descriptions,
        permissions: ["app access token"],
        remediation: "Meta for Developers > your app > Webhooks: select the object, set the callback URL and verify token, subscribe the fields."
    )

    public init() {}

    /// The subscriptions, and, with WhatsApp, the phone number's and the WABA's overrides, all at once.
    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        guard let appID = ids.appID else { return [] }
        guard let overrides = whatsappOverrideReads(ids) else { return [GraphCalls.appSubscriptions(appID)] }
        return [GraphCalls.appSubscriptions(appID), overrides.number, overrides.apps]
    }

    static func whatsappOverrideReads(_ ids: GraphIDs) -> (number: GraphCall<PhoneNumberNode>, apps: GraphCall<[WABASubscribedApp]>)? {
        guard ids.platforms.contains(.whatsapp), let wabaID = ids.wabaID, let phoneID = ids.phoneNumberID else { return nil }
        return (GraphCalls.phoneNumber(phoneID), GraphCalls.wabaSubscribedApps(wabaID))
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID else { return .error("META_APP_ID is missing.") }
        async let overrides = whatsappOverride(environment, context)
        let subscriptions: [AppSubscription]
        do {
            subscriptions = try await environment.graph.read(GraphCalls.appSubscriptions(appID), by: context.deadline)
        } catch {
            if error.kind.isCouldNotVerify { return .couldNotVerify(error, while: "reading the app's subscriptions") }
            return .fail("Meta refused to list app \(appID)'s subscriptions: \(error)", evidence: error.evidence)
        }

        let override = await overrides
        var problems: [String] = []
        var actions: [String] = []
        var repairs: [Repair] = []
        var evidence: Evidence = [:]
        for platform in Platform.allCases where environment.enabledPlatforms.contains(platform) {
            let (object, required) = Self.requirement(for: platform)
            // Meta verifies the callback during a subscription write (MB-G28): the platform's
            // verification check must not have failed.
            let verified = [WebhookVerifyCheck.id(platform)]
            guard let subscription = subscriptions.first(where: { $0.object == object }) else {
                problems.append("No '\(object)' subscription: Meta sends no \(platform.displayName) events to this app.")
                actions.append("Webhooks > \(object): subscribe with your callback URL and the fields \(required.joined(separator: ", ")).")
                if let configured = configuration.webhookURL(for: platform) {
                    repairs.append(
                        Repair(
                            GraphCalls.subscribeApp(appID, object: object, callbackURL: configured, fields: required),
                            change: "'\(object)' subscription: none → \(configured) with \(required.joined(separator: ", "))",
                            needsPassing: verified))
                }
                continue
            }
            var rewriteSubscription = false
            let fields = (subscription.fields ?? []).map(\.name)
            var platformEvidence: Evidence = [
                "object": .string(object.rawValue), "active": .bool(subscription.active ?? false), "fields": .strings(fields),
                "callbackUrl": .optional(subscription.callbackURL),
            ]
            if subscription.active == false {
                problems.append("The '\(object)' subscription is inactive.")
                actions.append("Webhooks > \(object): re-verify the callback URL to reactivate the subscription.")
                rewriteSubscription = true
            }
            let missing = required.filter { !fields.contains($0) }
            if !missing.isEmpty {
                problems.append("The '\(object)' subscription lacks the field(s) \(missing.joined(separator: ", ")).")
                actions.append("Webhooks > \(object): subscribe \(missing.joined(separator: ", ")).")
                rewriteSubscription = true
            }
            var callback = subscription.callbackURL
            if let configured = configuration.webhookURL(for: platform) {
                var effective = subscription.callbackURL
                var effectiveSource = "the app's subscription"
                if platform == .whatsapp {
                    switch override {
                    case .none: break
                    case .override(let url, let source):
                        effective = url
                        effectiveSource = source
                    case .unverifiable(let error):
                        // Without the overrides the effective URL is unknown: no verdict on it.
                        return .couldNotVerify(error, while: "reading the WhatsApp webhook overrides")
                    }
                }
                platformEvidence["effectiveCallbackUrl"] = .optional(effective)
                platformEvidence["effectiveCallbackSource"] = .string(effectiveSource)
                platformEvidence["configuredUrl"] = .string(configured)
                if let effective, !Self.sameURL(effective, configured) {
                    problems.append(
                        "\(platform.displayName) events go to \(effective) (\(effectiveSource)), not to the configured \(configured).")
                    actions.append(
                        "Set the \(object) callback URL to \(configured) (Webhooks > \(object) > Edit), or fix the configured URL; "
                            + "with ngrok, the URL changes on every restart unless you use a static domain.")
                    switch (platform, override) {
                    case (.whatsapp, .override(_, let source)) where source.hasPrefix("WABA"):
                        if let wabaID = configuration.wabaID {
                            repairs.append(
                                Repair(
                                    GraphCalls.subscribeAppToWABA(wabaID, overrideCallbackURI: configured),
                                    change: "WABA \(wabaID)'s callback override: \(effective) → \(configured)", needsPassing: verified))
                        }
                    case (.whatsapp, .override):
                        break  // a phone number's own override: none of fix's writes changes it
                    default:
                        callback = configured
                        rewriteSubscription = true
                    }
                }
            }
            if rewriteSubscription, let callback {
                // Existing fields stay; the missing required ones are added.
                let target = fields + missing
                repairs.append(
                    Repair(
                        GraphCalls.subscribeApp(appID, object: object, callbackURL: callback, fields: target),
                        change: "'\(object)' subscription: \(subscription.callbackURL ?? "no callback") with \(fields.isEmpty ? "no fields" : fields.joined(separator: ", "))"
                            + " → \(callback) with \(target.joined(separator: ", "))",
                        needsPassing: verified))
            }
            evidence[platform.rawValue] = .object(platformEvidence)
        }
        if !problems.isEmpty {
            return .fail(problems.joined(separator: " "), evidence: evidence, action: actions.joined(separator: "\n"), repairs: repairs)
        }
        let objects = Platform.allCases.filter(environment.enabledPlatforms.contains).map { Self.requirement(for: $0).object.rawValue }
        if objects.isEmpty { return .notApplicable("No platform is enabled.") }
        return .pass("Subscribed: \(objects.joined(separator: ", ")), active, with the required fields.", evidence: evidence)
    }

    enum WhatsAppOverride {
        case none
        case override(url: String, source: String)
        case unverifiable(GraphError)
    }

    /// The WhatsApp callback that wins over the app's: the phone number's override, then the WABA's.
    /// Read with the WhatsApp token. A read that fails for a token reason leaves the app's URL in
    /// force (the token is whatsapp.token's finding); one that could not verify says so.
    private func whatsappOverride(_ environment: ProbeEnvironment, _ context: CheckContext) async -> WhatsAppOverride {
        let configuration = environment.configuration
        guard let reads = Self.whatsappOverrideReads(GraphIDs(configuration, platforms: environment.enabledPlatforms)),
            let wabaID = configuration.wabaID, let phoneID = configuration.phoneNumberID
        else { return .none }
        let graph = environment.graph
        let deadline = context.deadline
        let (phoneResult, appsResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.read(reads.number, by: deadline) },
            { () async throws(GraphError) in try await graph.read(reads.apps, by: deadline) })
        for case .failure(let error) in [phoneResult.map { _ in () }, appsResult.map { _ in () }] where error.kind.isCouldNotVerify {
            return .unverifiable(error)
        }
        let number = try? phoneResult.get()
        if let override = number?.webhookConfiguration?.phoneNumber {
            return .override(url: override, source: "phone number \(phoneID)'s override")
        }
        let appID = configuration.appID
        let wabaOverride = (try? appsResult.get())?.first { $0.whatsappBusinessAPIData?.id == appID }?.overrideCallbackURI
            ?? number?.webhookConfiguration?.whatsappBusinessAccount
        if let wabaOverride { return .override(url: wabaOverride, source: "WABA \(wabaID)'s override") }
        return .none
    }

    /// URLs compared with scheme and host lowercased and a default port dropped.
    static func sameURL(_ lhs: String, _ rhs: String) -> Bool {
        guard let left = URLParts(lhs), let right = URLParts(rhs) else { return lhs == rhs }
        return left.normalized == right.normalized
    }
}
