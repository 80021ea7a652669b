import Foundation
import MetaConfig

/// A Graph object the sandbox knows.
enum GraphNode {
    case app(AppRecord)
    case page(PageRecord)
    case user(UserRecord)
    case waba(WABARecord)
    case phoneNumber(PhoneNumberRecord, WABARecord)
    case instagramAccount(InstagramAccountRecord)
    case business(BusinessRecord)
}

/// A node's readable fields and the ones Meta returns when `fields` is absent.
struct NodeView {
    let type: String
    let id: String
    let defaultFields: [String]
    /// Every field of the node type, in Meta's order; nil for a field this object lacks (left out
    /// of the reply, like `instagram_business_account` on an unlinked Page, MB-G25).
    let fields: [(String, JSONValue?)]

    /// The requested fields in the requested order, then `id` when not requested: Meta always
    /// answers the id, last (`{"instagram_business_account":{…},"id":"…"}`, MB-G25).
    func select(_ requested: [String]?) throws(GraphFailure) -> JSONValue {
        var names: [String] = []
        for name in requested ?? defaultFields where !names.contains(name) { names.append(name) }
        var members: [(String, JSONValue)] = []
        for name in names {
            guard let field = fields.first(where: { $0.0 == name }) else {
                throw .nonexistingField(name, nodeType: type)
            }
            if let value = field.1 { members.append((name, value)) }
        }
        if !names.contains("id") { members.append(("id", .string(id))) }
        return .object(members)
    }
}

extension GraphRoutes {
    /// The object with that id if the caller may see it; else 100/33, which Meta gives alike for
    /// objects that do not exist and for objects the token cannot load (recorded replies, MB-G24).
    func node(_ id: String, for caller: Caller, method: String) throws(GraphFailure) -> GraphNode {
        let record = caller.record
        let isPerson = record.type == .user || record.type == .systemUser
        if let app = model.apps[id] {
            // An app's id and name are public: any valid token reads them.
            return .app(app)
        }
        if let page = model.pages[id],
            record.type == .page ? record.profileID == page.id : isPerson && record.grants("pages_show_list", on: page.id)
        {
            return .page(page)
        }
        if let user = model.users[id], isPerson, record.userID == user.id {
            return .user(user)
        }
        // MB-G30: a business id read with a WhatsApp token is a Business node (its fields are not a
        // WABA's). Not documented which tokens may load it: the sandbox's choice is a person whose
        // whatsapp_business_management reaches one of the business's WABAs.
        if let business = model.businesses[id], isPerson,
            model.wabas.values.contains(where: { $0.businessID == business.id && record.grants("whatsapp_business_management", on: $0.id) })
        {
            return .business(business)
        }
        // MB-G26: WhatsApp objects need whatsapp_business_management for that WABA (granular
        // target_ids naming it, or none at all).
        if let waba = model.wabas[id], isPerson, record.grants("whatsapp_business_management", on: waba.id) {
            return .waba(waba)
        }
        if let waba = model.waba(owningPhoneNumber: id), let number = waba.phoneNumbers[id], isPerson,
            record.grants("whatsapp_business_management", on: waba.id)
        {
            return .phoneNumber(number, waba)
        }
        // MB-G25, MB-G15: the Instagram account is read through its Page's token, with instagram_basic.
        if let account = model.instagramAccounts[id], record.grants("instagram_basic", on: account.id),
            record.type == .page
                ? record.profileID.flatMap({ model.pages[$0]?.instagramAccountID }) == account.id : isPerson
        {
            return .instagramAccount(account)
        }
        throw .unsupportedRequest(method: method, objectID: id)
    }

    // MARK: Nodes

    /// The node's fields. Meta does not document the default field sets (MB-G27);
    /// the sandbox's choices are noted per node.
    func view(of node: GraphNode, for caller: Caller) -> NodeView {
        switch node {
        case .app(let app):
            // Default: name and id, as for other named nodes.
            return NodeView(
                type: "Application", id: app.id, defaultFields: ["name"],
                fields: [
                    ("id", .string(app.id)), ("name", .string(app.name)), ("link", .string(app.link)),
                    ("category", .string(app.category)),
                ])
        case .page(let page):
            // MB-G25: `/me` with a Page token answers {"name","id"}.
            let linked: JSONValue? = page.instagramAccountID.map { ["id": .string($0)] }
            return NodeView(
                type: "Page", id: page.id, defaultFields: ["name"],
                fields: [
                    ("id", .string(page.id)), ("name", .string(page.name)), ("category", .string(page.category)),
                    ("instagram_business_account", linked), ("connected_instagram_account", linked),
                ])
        case .user(let user):
            return NodeView(
                type: "User", id: user.id, defaultFields: ["name"],
                fields: [("id", .string(user.id)), ("name", .string(user.name))])
        case .waba(let waba):
            // Default: the fields the recorded default query asks for that the model has (MB-G27).
            let owner = model.businesses[waba.businessID]
            return NodeView(
                type: "WhatsAppBusinessAccount", id: waba.id,
                defaultFields: ["id", "name", "timezone_id", "message_template_namespace", "account_review_status"],
                fields: [
                    ("id", .string(waba.id)), ("name", .string(waba.name)), ("currency", .string(waba.currency)),
                    ("timezone_id", .string(waba.timezoneID)),
                    ("message_template_namespace", .string(waba.messageTemplateNamespace)),
                    ("account_review_status", .string(waba.accountReviewStatus)),
                    ("business_verification_status", .string(waba.businessVerificationStatus)),
                    ("owner_business_info", owner.map { ["name": .string($0.name), "id": .string($0.id)] }),
                    ("health_status", healthStatus(waba: waba, phoneNumber: nil, appID: caller.record.appID)),
                ])
        case .phoneNumber(let number, let waba):
            // Default: the recorded default reply's fields (MB-G27)
            // less last_onboarded_time, which the model does not keep.
            return NodeView(
                type: "WhatsAppBusinessPhoneNumber", id: number.id,
                defaultFields: [
                    "verified_name", "code_verification_status", "display_phone_number", "quality_rating",
                    "platform_type", "throughput", "webhook_configuration", "id",
                ],
                fields: [
                    ("id", .string(number.id)), ("display_phone_number", .string(number.displayPhoneNumber)),
                    ("verified_name", .string(number.verifiedName)), ("quality_rating", .string(number.qualityRating)),
                    ("code_verification_status", .string(number.codeVerificationStatus)),
                    ("platform_type", .string(number.platformType)),
                    ("throughput", ["level": .string(number.throughputLevel)]), ("status", .string(number.status)),
                    ("account_mode", .string(number.accountMode)), ("name_status", .string(number.nameStatus)),
                    ("messaging_limit_tier", .string(number.messagingLimitTier)),
                    ("is_official_business_account", false),
                    ("health_status", healthStatus(waba: waba, phoneNumber: number, appID: caller.record.appID)),
                    ("webhook_configuration", webhookConfiguration(number, waba: waba, appID: caller.record.appID)),
                ])
        case .business(let business):
            // Default: name and id, as for other named nodes (MB-G27).
            return NodeView(
                type: "Business", id: business.id, defaultFields: ["name"],
                fields: [("id", .string(business.id)), ("name", .string(business.name))])
        case .instagramAccount(let account):
            // Default: id and username (MB-G15 leaves the default unconfirmed).
            return NodeView(
                type: "IGUser", id: account.id, defaultFields: ["id", "username"],
                fields: [
                    ("id", .string(account.id)), ("username", .string(account.username)),
                    ("name", .string(account.name)),
                ])
        }
    }

    /// MB-G14: one entity per PHONE_NUMBER (on a number's node), WABA, BUSINESS and APP (the caller's
    /// app); the top-level value is the worst entity's.
    private func healthStatus(waba: WABARecord, phoneNumber: PhoneNumberRecord?, appID: String) -> JSONValue {
        var entities: [(type: String, id: String, health: HealthRecord)] = []
        if let phoneNumber { entities.append(("PHONE_NUMBER", phoneNumber.id, phoneNumber.health)) }
        entities.append(("WABA", waba.id, waba.health))
        entities.append(("BUSINESS", waba.businessID, model.businesses[waba.businessID]?.health ?? .available))
        entities.append(("APP", appID, model.apps[appID]?.whatsappHealth ?? .available))
        func severity(_ status: String) -> Int { ["AVAILABLE", "LIMITED", "BLOCKED"].firstIndex(of: status) ?? 0 }
        let worst = entities.map(\.health.canSendMessage).max { severity($0) < severity($1) } ?? "AVAILABLE"
        return [
            "can_send_message": .string(worst),
            "entities": .array(entities.map { entity in
                var members: [(String, JSONValue)] = [
                    ("entity_type", .string(entity.type)), ("id", .string(entity.id)),
                    ("can_send_message", .string(entity.health.canSendMessage)),
                ]
                if !entity.health.errors.isEmpty {
                    members.append(
                        ("errors", .array(entity.health.errors.map { error in
                            var fields: [(String, JSONValue)] = [
                                ("error_code", .int(error.errorCode)),
                                ("error_description", .string(error.errorDescription)),
                            ]
                            if let solution = error.possibleSolution { fields.append(("possible_solution", .string(solution))) }
                            return .object(fields)
                        })))
                }
                if !entity.health.additionalInfo.isEmpty {
                    members.append(("additional_info", .strings(entity.health.additionalInfo)))
                }
                return .object(members)
            }),
        ]
    }

    /// MB-G19: where Meta sends this number's webhooks: the number's own override, the WABA's
    /// `override_callback_uri` for the caller's app, and the app's whatsapp_business_account
    /// callback. Left out when none is set (the sandbox's choice).
    private func webhookConfiguration(_ number: PhoneNumberRecord, waba: WABARecord, appID: String) -> JSONValue? {
        var members: [(String, JSONValue)] = []
        if let override = number.webhookOverride { members.append(("phone_number", .string(override))) }
        if let override = waba.subscribedApps[appID]?.overrideCallbackURI {
            members.append(("whatsapp_business_account", .string(override)))
        }
        if let callback = model.apps[appID]?.subscriptions["whatsapp_business_account"]?.callbackURL {
            members.append(("application", .string(callback)))
        }
        return members.isEmpty ? nil : .object(members)
    }

    // MARK: Edges

    func edge(_ name: String, of node: GraphNode, _ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        switch (node, name) {
        case (.app(let app), "subscriptions"): return try appSubscriptions(app, request, caller)
        case (.page(let page), "subscribed_apps"): return try pageSubscribedApps(page, caller)
        case (.waba(let waba), "phone_numbers"): return try phoneNumbers(of: waba, request, caller)
        case (.waba(let waba), "subscribed_apps"): return wabaSubscribedApps(waba)
        case (.user(let user), "accounts"): return try managedPages(of: user, request, caller)
        case (.business(let business), "owned_whatsapp_business_accounts"): return try ownedWABAs(of: business, request, caller)
        default: throw .unknownPath([name])
        }
    }

    /// MB-G20: needs the app's own app token; one entry per object, fields as {name, version}.
    private func appSubscriptions(_ app: AppRecord, _ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        guard caller.record.type == .app else { throw .appTokenRequired }
        guard caller.record.appID == app.id else { throw .unsupportedRequest(method: request.method, objectID: app.id) }
        let subscriptions = app.subscriptions.values.sorted { $0.object < $1.object }
        return [
            "data": .array(subscriptions.map { subscription in
                [
                    "object": .string(subscription.object), "callback_url": .string(subscription.callbackURL),
                    "active": .bool(subscription.active),
                    "fields": .array(subscription.fields.map { ["name": .string($0), "version": .string(subscription.version)] }),
                ]
            })
        ]
    }

    /// MB-G8: needs the Page's own token with pages_manage_metadata and pages_show_list. `data:[]` when no app is
    /// subscribed; `subscribed_fields` is left out for an app added without fields, as real
    /// captures show.
    private func pageSubscribedApps(_ page: PageRecord, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        guard caller.record.type == .page else { throw .pageTokenRequired }
        for permission in ["pages_manage_metadata", "pages_show_list"] where !caller.record.grants(permission, on: page.id) {
            throw .permissionRequired(permission)
        }
        let apps = page.subscribedApps.keys.sorted().compactMap { id in model.apps[id].map { ($0, page.subscribedApps[id] ?? []) } }
        return [
            "data": .array(apps.map { app, fields in
                var entry: [(String, JSONValue)] = [
                    ("category", .string(app.category)), ("link", .string(app.link)), ("name", .string(app.name)),
                    ("id", .string(app.id)),
                ]
                if !fields.isEmpty { entry.append(("subscribed_fields", .strings(fields))) }
                return .object(entry)
            })
        ]
    }

    /// MB-G10: the WABA's numbers with the requested fields, and cursors (opaque base64, like Meta's).
    /// Graph's cursor paging (MB-G10): `limit` numbers a page (25 unless asked), starting after the
    /// `after` cursor; `paging.cursors` on every page, `paging.next` only when another page follows,
    /// with the access token in its query as Meta writes it.
    private func phoneNumbers(of waba: WABARecord, _ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        let all = waba.phoneNumbers.values.sorted { $0.id < $1.id }
        func cursor(_ id: String) -> String { Data("sandbox-cursor:\(id)".utf8).base64EncodedString() }
        let limit = min(max(Int(request.parameters["limit"] ?? "") ?? 25, 1), 100)
        var start = 0
        if let after = request.parameters["after"] {
            guard let index = all.firstIndex(where: { cursor($0.id) == after }) else {
                throw .invalidParameterValue("after")
            }
            start = index + 1
        }
        let numbers = Array(all[min(start, all.count)...].prefix(limit))
        var items: [JSONValue] = []
        for number in numbers {
            items.append(try view(of: .phoneNumber(number, waba), for: caller).select(request.fields))
        }
        guard let first = numbers.first, let last = numbers.last else { return ["data": []] }
        var paging: [(String, JSONValue)] = [("cursors", ["before": .string(cursor(first.id)), "after": .string(cursor(last.id))])]
        if start + numbers.count < all.count {
            var query = [("access_token", caller.token), ("limit", String(limit)), ("after", cursor(last.id))]
            if let fields = request.parameters["fields"] { query.insert(("fields", fields), at: 0) }
            let encoded = query.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            paging.append(("next", .string("https://graph.facebook.com/\(request.version ?? GraphVersions.defaultVersion)/\(waba.id)/phone_numbers?\(encoded)")))
        }
        return ["data": .array(items), "paging": .object(paging)]
    }

    /// MB-G31: `/me/accounts` with a user token lists the Pages its person manages (those its
    /// pages_show_list grant reaches), each with its Page access token unless `fields` leaves it
    /// out; cursors as every list has them (MB-G10), one page here.
    private func managedPages(of user: UserRecord, _ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        guard caller.record.type == .user else { throw .unknownPath(["accounts"]) }
        let pages = model.pages.values.filter { caller.record.grants("pages_show_list", on: $0.id) }.sorted { $0.id < $1.id }
        var items: [JSONValue] = []
        for page in pages {
            let token = model.tokens.first { $0.value.type == .page && $0.value.profileID == page.id && $0.value.appID == caller.record.appID }?.key
            let view = NodeView(
                type: "Page", id: page.id, defaultFields: ["access_token", "category", "name", "id"],
                fields: [
                    ("id", .string(page.id)), ("name", .string(page.name)), ("category", .string(page.category)),
                    ("access_token", token.map { .string($0) }),
                ])
            items.append(try view.select(request.fields))
        }
        guard let first = pages.first, let last = pages.last else { return ["data": []] }
        func cursor(_ id: String) -> String { Data("sandbox-cursor:\(id)".utf8).base64EncodedString() }
        return ["data": .array(items), "paging": ["cursors": ["before": .string(cursor(first.id)), "after": .string(cursor(last.id))]]]
    }

    /// MB-G44: the WABAs the business owns, by default with the fields of Meta's reference sample
    /// (id, name, timezone_id, message_template_namespace); cursors as every list has them (MB-G10),
    /// one page here. Meta requires business_management besides whatsapp_business_management (which
    /// loading the business node needs already); its refusal without it is not documented: chosen
    /// its documented permission error, code 200 (`permissionRequired`).
    private func ownedWABAs(of business: BusinessRecord, _ request: GraphRequest, _ caller: Caller) throws(GraphFailure) -> JSONValue {
        guard caller.record.grants("business_management", on: business.id) else { throw .permissionRequired("business_management") }
        let wabas = model.wabas.values.filter { $0.businessID == business.id }.sorted { $0.id < $1.id }
        var items: [JSONValue] = []
        for waba in wabas {
            let view = NodeView(
                type: "WhatsAppBusinessAccount", id: waba.id, defaultFields: ["id", "name", "timezone_id", "message_template_namespace"],
                fields: [
                    ("id", .string(waba.id)), ("name", .string(waba.name)), ("timezone_id", .string(waba.timezoneID)),
                    ("message_template_namespace", .string(waba.messageTemplateNamespace)),
                ])
            items.append(try view.select(request.fields))
        }
        guard let first = wabas.first, let last = wabas.last else { return ["data": []] }
        func cursor(_ id: String) -> String { Data("sandbox-cursor:\(id)".utf8).base64EncodedString() }
        return ["data": .array(items), "paging": ["cursors": ["before": .string(cursor(first.id)), "after": .string(cursor(last.id))]]]
    }

    /// MB-G19: `data:[]` means Meta delivers no webhook for the WABA. The `link` format is the facts'
    /// (unconfirmed) app link.
    private func wabaSubscribedApps(_ waba: WABARecord) -> JSONValue {
        let apps = waba.subscribedApps.keys.sorted().compactMap { id in model.apps[id].map { ($0, waba.subscribedApps[id]) } }
        return [
            "data": .array(apps.map { app, subscription in
                var entry: [(String, JSONValue)] = [
                    ("whatsapp_business_api_data", [
                        "id": .string(app.id), "link": .string("https://www.facebook.com/games/?app_id=\(app.id)"),
                        "name": .string(app.name),
                    ])
                ]
                if let uri = subscription?.overrideCallbackURI { entry.append(("override_callback_uri", .string(uri))) }
                return .object(entry)
            })
        ]
    }
}
