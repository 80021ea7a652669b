import Foundation

/// One request as the Graph API reads it: version prefix stripped, Graph's method override
/// applied, query and form parameters merged, the access token found.
struct GraphRequest: Sendable {
    /// The method after the override: for an app that may still use it, `POST …&method=get` is
    /// served exactly like the GET (MB-G4).
    let method: String
    /// Whether the request asked for HTTP method override (a `method` parameter).
    let usesMethodOverride: Bool
    /// "v25.0" when the path named a version.
    let version: String?
    /// Path components after the version, e.g. ["1204000000000001", "phone_numbers"].
    let components: [String]
    /// Query parameters, then form parameters (the form wins, as it does at Meta for POSTs).
    let parameters: [String: String]
    /// From `Authorization: Bearer …` (or Meta's older `OAuth …` scheme), else `access_token`.
    let token: String?

    init(_ recorded: RecordedRequest) {
        var parameters = Self.decodeForm(recorded.query ?? "")
        let contentType = recorded.header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            parameters.merge(Self.decodeForm(recorded.body)) { _, form in form }
        }
        self.parameters = parameters
        method = (parameters["method"] ?? recorded.method).uppercased()
        usesMethodOverride = parameters["method"] != nil

        var components = recorded.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        if let first = components.first, Self.isVersion(first) {
            version = first
            components.removeFirst()
        } else {
            version = nil
        }
        self.components = components

        // The header wins when both are sent; Meta's behaviour then is not documented.
        if let authorization = recorded.header("Authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, ["bearer", "oauth"].contains(parts[0].lowercased()) {
                token = parts[1].trimmingCharacters(in: .whitespaces)
                return
            }
        }
        token = parameters["access_token"]
    }

    /// A GET of `/` without parameters: what a request context holds until the request is read.
    static let empty = GraphRequest(RecordedRequest(method: "GET", path: "/", query: nil, headers: [], body: ""))

    /// The `fields` parameter's top-level names: "id,health_status{can_send_message},x.limit(2)"
    /// gives ["id", "health_status", "x"] (sub-selections are answered in full); nil when absent.
    var fields: [String]? {
        guard let raw = parameters["fields"], !raw.isEmpty else { return nil }
        var names: [String] = []
        var current = ""
        var depth = 0
        var skipping = false
        for character in raw {
            switch character {
            case "{", "(":
                depth += 1
                skipping = true
            case "}", ")":
                depth -= 1
            case "," where depth == 0:
                names.append(current)
                current = ""
                skipping = false
            case "." where depth == 0:
                skipping = true
            default:
                if !skipping && depth == 0 { current.append(character) }
            }
        }
        names.append(current)
        let trimmed = names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// "v25.0", "v9.0", "v2.10".
    static func isVersion(_ component: String) -> Bool {
        guard component.hasPrefix("v") else { return false }
        let parts = component.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// application/x-www-form-urlencoded: `+` is a space, then percent-decoding.
    static func decodeForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}

/// Which of Meta's Graph APIs a request went to.
public enum GraphHost: String, Sendable {
    case facebook = "graph.facebook.com"
    /// The Instagram API with Instagram Login.
    case instagram = "graph.instagram.com"
}

/// A request as the sandbox received it.
public struct RecordedRequest: Sendable {
    public var host: GraphHost = .facebook
    public let method: String
    /// The path without the query, as sent (with its version prefix).
    public let path: String
    /// The raw query string, without `?`.
    public let query: String?
    public let headers: [(name: String, value: String)]
    public let body: String

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
