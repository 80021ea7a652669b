import DoctorKit

/// What the doctor should conclude for each sandbox scenario. The sandbox only emulates Meta and the
/// user's endpoints; the verdicts it should lead to are the tests' knowledge, written here by hand
/// with the checks' ids and statuses.
struct ScenarioExpectation: Sendable {
    /// The check reported first; nil when every check passes.
    let rootCause: CheckID?
    let status: CheckStatus?
    /// Findings besides the root cause that the scenario rightly raises (a warning on the way).
    let alsoReported: [CheckID]

    static let healthy = ScenarioExpectation(rootCause: nil, status: nil, alsoReported: [])

    static func root(_ id: CheckID, _ status: CheckStatus, also: [CheckID] = []) -> ScenarioExpectation {
        ScenarioExpectation(rootCause: id, status: status, alsoReported: also)
    }

    /// The exit status a report with this outcome has.
    var exitCode: Int {
        switch status {
        case .fail: 1
        case .error: 3
        default: 0
        }
    }
}

enum ScenarioExpectations {
    /// One row per scenario the sandbox knows; a test fails when a scenario has no row.
    static let byName: [String: ScenarioExpectation] = [
        "bad-secret": .root("app.secret", .fail),
        "app-id-is-page-id": .root("app.secret", .fail),
        "page-and-instagram-swapped": .root("messenger.page-token", .fail),
        "whatsapp-two-wabas": .healthy,
        "whatsapp-waba-as-phone-number": .root("whatsapp.phone-number", .fail),
        "whatsapp-business-as-waba": .root("whatsapp.token", .fail),
        // Nothing blocks whatsapp.waba-subscribed here: its read of the business's /subscribed_apps
        // is refused as an unknown path (code 2500), so it could not verify.
        "whatsapp-business-as-waba-unscoped": .root("whatsapp.phone-number", .fail, also: ["whatsapp.waba-subscribed"]),
        "whatsapp-business-as-waba-admin": .root("whatsapp.phone-number", .fail, also: ["whatsapp.waba-subscribed"]),
        "whatsapp-business-as-waba-admin-two-wabas": .root("whatsapp.phone-number", .fail, also: ["whatsapp.waba-subscribed"]),
        // config warns too: 11 digits are a phone number's length, not an id's (MB-G34).
        "whatsapp-display-number-as-id": .root("whatsapp.phone-number", .fail, also: ["config"]),
        "missing-whatsapp-subscription": .root("app.subscriptions", .fail),
        "require-app-secret": .healthy,
        "stale-callback-url": .root("app.subscriptions", .fail),
        "unknown-app": .root("app.secret", .fail),
        "graph-5xx-twice": .healthy,
        "graph-html": .root("app.secret", .error),
        "graph-hang": .root("messenger.page-token", .error),
        "graph-malformed": .root("messenger.page-token", .error),
        "graph-rate-limited": .root("app.secret", .error),
        "graph-slow": .healthy,
        "graph-unavailable": .root("app.secret", .error),
        "instagram-linked-other-account": .root("instagram.linked", .fail),
        "instagram-login-token": .root("instagram.token", .fail),
        "instagram-missing-manage-messages": .root("instagram.token", .fail),
        "instagram-not-linked": .root("instagram.linked", .fail),
        "instagram-login-path": .healthy,
        "instagram-login-page-token": .root("instagram.token", .fail),
        "instagram-login-other-account": .root("instagram.linked", .fail),
        "instagram-login-expired": .root("instagram.token", .fail),
        "expired-page-token": .root("messenger.page-token", .fail),
        "page-not-subscribed": .root("messenger.page-subscribed", .fail),
        "page-subscribed-without-postbacks": .root("messenger.page-subscribed", .fail),
        "page-token-expiring-soon": .root("messenger.page-token", .warn),
        "page-token-missing-pages-messaging": .root("messenger.page-token", .fail),
        "page-token-other-app": .root("messenger.page-token", .fail),
        "page-token-other-page": .root("messenger.page-token", .fail),
        "page-token-missing-pages-show-list": .root("messenger.page-token", .fail),
        "ngrok-browser-warning": .healthy,
        "ngrok-new-url": .root("tunnel.ngrok", .fail),
        "ngrok-local-server-down": .root("webhook.messenger.https", .fail),
        "ngrok-offline": .root("webhook.messenger.https", .fail, also: ["tunnel.ngrok"]),
        "ngrok-stale-url": .root("tunnel.ngrok", .fail),
        "ngrok-tunnel": .healthy,
        "ngrok-upstream-https": .root("webhook.messenger.https", .fail),
        "tls-expired": .root("webhook.messenger.https", .fail),
        "tls-expiring-soon": .root("webhook.messenger.https", .warn),
        "tls-incomplete-chain": .root("webhook.messenger.https", .fail),
        "tls-not-yet-valid": .root("webhook.messenger.https", .fail),
        "tls-self-signed": .root("webhook.messenger.https", .fail),
        "tls-wrong-address": .root("webhook.messenger.https", .fail),
        "tls-wrong-host": .root("webhook.messenger.https", .fail),
        "webhook-accepts-any-verify-token": .root("webhook.messenger.verify", .warn),
        "webhook-accepts-unsigned": .root("webhook.messenger.signature", .warn),
        "webhook-checks-no-signature": .root("webhook.messenger.signature", .warn),
        "webhook-checks-only-sha1": .root("webhook.messenger.signature", .warn),
        "webhook-crashes-on-unsigned": .healthy,
        "webhook-html-page": .root("webhook.messenger.verify", .fail),
        "webhook-json-challenge": .root("webhook.messenger.verify", .fail),
        "webhook-not-found": .root("webhook.messenger.verify", .fail, also: ["webhook.messenger.signature"]),
        "webhook-redirect": .root("webhook.messenger.verify", .fail, also: ["webhook.messenger.signature"]),
        "webhook-rejects-valid-signatures": .root("webhook.messenger.signature", .fail),
        "webhook-server-error-on-events": .root("webhook.messenger.signature", .fail),
        "webhook-slow": .root("webhook.messenger.verify", .fail),
        "webhook-silent-without-hub-parameters": .healthy,
        "webhook-slow-events": .root("webhook.messenger.signature", .warn),
        "webhook-wrong-verify-token": .root("webhook.messenger.verify", .fail),
        "health-blocked": .root("whatsapp.health", .fail),
        "health-limited": .root("whatsapp.health", .warn),
        "phone-number-not-in-waba": .root("whatsapp.phone-number", .fail),
        "waba-not-subscribed": .root("whatsapp.waba-subscribed", .fail),
        "whatsapp-missing-management-scope": .root("whatsapp.token", .fail),
        "whatsapp-no-target-ids": .healthy,
        "whatsapp-other-waba-target": .root("whatsapp.token", .fail),
        "whatsapp-token-other-app": .root("whatsapp.token", .fail),
        "whatsapp-user-token": .root("whatsapp.token", .fail),
        "whatsapp-test-number": .healthy,
        "whatsapp-number-not-registered": .root("whatsapp.phone-number", .fail),
        "whatsapp-number-pending": .root("whatsapp.phone-number", .fail),
        "waba-review-rejected": .root("whatsapp.phone-number", .fail),
        "waba-review-pending": .root("whatsapp.phone-number", .warn),
        "whatsapp-many-numbers": .healthy,
        "waba-stale-override": .root("app.subscriptions", .fail),
        "page-write-refused": .root("messenger.page-subscribed", .fail),
        "whatsapp-version-upgraded": .root(
            "whatsapp.phone-number", .warn, also: ["app.subscriptions", "whatsapp.waba-subscribed", "whatsapp.health"]),
        "version-without-v": .root("graph.version", .fail),
        "version-unknown": .root("graph.version", .fail),
        "version-newer": .healthy,
        "healthy": .healthy,
        "onboarding": .root("whatsapp.token", .fail, also: ["messenger.page-token"]),
    ]

    static func of(_ name: String) throws -> ScenarioExpectation {
        guard let expectation = byName[name] else { throw MissingExpectation(name: name) }
        return expectation
    }

    struct MissingExpectation: Error, CustomStringConvertible {
        let name: String
        var description: String { "Scenario \(name) has no row in ScenarioExpectations." }
    }
}
