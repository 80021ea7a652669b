import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// What every token probe checks in a debug_token reply, and the evidence it shows.
enum TokenInspection {
    /// Evidence for a token: never the token, only its fingerprint and what Meta says of it.
    static func evidence(_ info: DebugTokenInfo, token: Secret, source: String?) -> Evidence {
        var evidence: Evidence = [
            "token": .string(token.fingerprint),
            "tokenType": .optional(info.type?.rawValue),
            "appId": .optional(info.appID),
            "scopes": .strings(info.scopes ?? []),
            "isValid": .bool(info.isValid ?? false),
            "expiresAt": .string(expiryText(info.expiresAt)),
        ]
        if let source { evidence["source"] = .string(source) }
        if let userID = info.userID { evidence["userId"] = .string(userID) }
        if let profileID = info.profileID { evidence["profileId"] = .string(profileID) }
        if let granular = info.granularScopes, granular.contains(where: { $0.targetIDs != nil }) {
            evidence["granularScopes"] = .object(
                Dictionary(granular.map { ($0.scope, EvidenceValue.strings($0.targetIDs ?? [])) }, uniquingKeysWith: { first, _ in first }))
        }
        return evidence
    }

    static func expiryText(_ expiresAt: Int?) -> String {
        GraphNumbers.date(fromTimestamp: expiresAt)?.formatted(.iso8601) ?? "never"
    }

    /// When a token expires and how far away that is: "never", or "on 2026-12-02T08:00:00Z, in 20 hours".
    static func expiryPhrase(_ expiresAt: Int?, now: Date) -> String {
        guard let expiry = GraphNumbers.date(fromTimestamp: expiresAt) else { return "never" }
        return "on \(expiry.formatted(.iso8601)), \(distance(to: expiry, from: now))"
    }

    /// How far away a future moment is, in the unit one plans with: "in 40 minutes", "in 20 hours",
    /// "in 3 days"; hours below two days, where a day's rounding would hide a deadline.
    static func distance(to moment: Date, from now: Date) -> String {
        let seconds = max(0, moment.timeIntervalSince(now))
        func phrase(_ count: Int, _ unit: String) -> String { "in \(count) \(unit)\(count == 1 ? "" : "s")" }
        if seconds < 3600 { return phrase(max(1, Int((seconds / 60).rounded())), "minute") }
        if seconds < 48 * 3600 { return phrase(Int((seconds / 3600).rounded()), "hour") }
        return phrase(Int((seconds / 86400).rounded()), "day")
    }

    /// A USER token this close to its expiry is a failure, not a warning: the integration stops
    /// before anyone acts on a warning.
    static let userTokenFailureWindow: TimeInterval = 48 * 3600

    static func expiresWithinUserTokenWindow(_ info: DebugTokenInfo, now: Date) -> Bool {
        guard let expiry = GraphNumbers.date(fromTimestamp: info.expiresAt) else { return false }
        return expiry.timeIntervalSince(now) <= userTokenFailureWindow
    }

    /// The failure of an invalid token, an expired one, or one issued for another app; nil if none.
    static func basicProblem(
        _ info: DebugTokenInfo, token: Secret, appID: String, label: String, source: String?, now: Date, renew: String
    ) -> ProbeResult? {
        let evidence = evidence(info, token: token, source: source)
        if info.isValid != true {
            let reason = info.error?.message ?? "Meta says it is not valid"
            if info.error?.subcode == 463 || (info.expiresAt.map { $0 > 0 && Double($0) < now.timeIntervalSince1970 } ?? false) {
                return .fail("The \(label) has expired (\(expiryText(info.expiresAt))).", evidence: evidence, action: renew)
            }
            let meaning = GraphError.tokenSubcodeMeaning(info.error?.subcode).map { ": \($0)" } ?? ""
            return .fail("The \(label) is not valid\(meaning) (\(reason)).", evidence: evidence, action: renew)
        }
        // Meta may still call a token valid whose expiry has passed: it is expired all the same.
        if let expiry = GraphNumbers.date(fromTimestamp: info.expiresAt), expiry < now {
            return .fail("The \(label) has expired (\(expiryText(info.expiresAt))).", evidence: evidence, action: renew)
        }
        if let tokenApp = info.appID, tokenApp != appID {
            return .fail(
                "The \(label) was issued for app \(tokenApp)\(info.application.map { " (\($0))" } ?? ""), not for app \(appID).",
                evidence: evidence,
                action: "Generate the \(label) for app \(appID): a token only works with the app it was issued for. \(renew)")
        }
        return nil
    }

    /// Scopes `required` that the token lacks.
    static func missingScopes(_ info: DebugTokenInfo, required: [String]) -> [String] {
        let granted = Set(info.scopes ?? [])
        return required.filter { !granted.contains($0) }
    }

    /// Days until expiry, or nil for a token that never expires.
    static func daysLeft(_ info: DebugTokenInfo, now: Date) -> Double? {
        guard let expiry = GraphNumbers.date(fromTimestamp: info.expiresAt) else { return nil }
        return expiry.timeIntervalSince(now) / 86400
    }
}

/// What a token probe learns from debug_token and /me, asked at once.
enum TokenReading {
    /// The token is invalid, expired, of another app, or Meta could not be asked: the probe's verdict.
    case finding(ProbeResult)
    /// The token is valid and of this app; `me` is what /me said of it.
    case read(DebugTokenInfo, me: Result<NamedNode, GraphError>)

    /// The calls `read` makes for the token the configuration names `secret`.
    static func calls(_ secret: GraphSecret) -> [any GraphRead] { [GraphCalls.debugToken(secret), GraphCalls.me(secret)] }

    /// Reads `token` (the configuration's `secret`) with debug_token and /me in one round trip, and
    /// judges what every token probe judges first (validity, expiry, app).
    static func read(
        _ token: Secret, as secret: GraphSecret, appID: String, label: String, source: String?, renew: String,
        environment: ProbeEnvironment, context: CheckContext
    ) async -> TokenReading {
        let graph = environment.graph
        let deadline = context.deadline
        let (debugResult, meResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.read(GraphCalls.debugToken(secret), by: deadline) },
            { () async throws(GraphError) in try await graph.read(GraphCalls.me(secret), by: deadline) })
        switch debugResult {
        case .failure(let error):
            return .finding(error.debugTokenFailure(label: label, appID: appID, renew: renew))
        case .success(let info):
            if let problem = TokenInspection.basicProblem(
                info, token: token, appID: appID, label: label, source: source, now: environment.now(), renew: renew)
            {
                return .finding(problem)
            }
            return .read(info, me: meResult)
        }
    }
}

extension GraphError {
    /// What a failed debug_token call says of the inspected token: Meta refuses to describe a token
    /// of another app (MB-G2), a definitive finding; anything else could not be verified.
    func debugTokenFailure(label: String, appID: String, renew: String) -> ProbeResult {
        guard kind == .tokenOfAnotherApp else { return .couldNotVerify(self, while: "debug_token") }
        return .fail(
            "The \(label) was issued for another app, not for app \(appID): Meta answered \"\(message)\".",
            evidence: evidence,
            action: """
                Generate the \(label) for app \(appID): a token only works with the app it was issued for, and tokens \
                copied from another app (Graph API Explorer's are the usual case) do not. \(renew)
                """)
    }

    /// The failure of a token that the Graph API refused outright (invalid, expired, no permission).
    func tokenFailure(label: String, renew: String) -> ProbeResult {
        let meaning = GraphError.tokenSubcodeMeaning(subcode).map { " (\($0))" } ?? ""
        switch kind {
        case .expiredToken: return .fail("The \(label) has expired: \(message)", evidence: evidence, action: renew)
        case .invalidToken: return .fail("Meta rejected the \(label)\(meaning): \(message)", evidence: evidence, action: renew)
        case .permissionMissing: return .fail("The \(label) lacks a permission: \(message)", evidence: evidence, action: renew)
        case .invalidParameter:
            return .fail(
                "Meta cannot show the object to the \(label): it does not exist or the token cannot see it (\(message)).",
                evidence: evidence, action: renew)
        default: return .couldNotVerify(self, while: "reading with the \(label)")
        }
    }
}
