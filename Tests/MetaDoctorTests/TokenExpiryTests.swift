import Foundation
@testable import MetaChecks
import MetaGraph
import Testing

/// Expiries say how far away they are, and a USER token about to expire fails.
@Suite("Token expiry")
struct TokenExpiryTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func info(expiringIn seconds: Int) throws -> DebugTokenInfo {
        let json = #"{"type":"USER","is_valid":true,"expires_at":\#(Int(now.timeIntervalSince1970) + seconds)}"#
        return try JSONDecoder().decode(DebugTokenInfo.self, from: Data(json.utf8))
    }

    @Test(
        "An expiry says how far away it is, in hours below two days",
        arguments: [(40 * 60, "in 40 minutes"), (20 * 3600, "in 20 hours"), (47 * 3600, "in 47 hours"), (3 * 86400, "in 3 days"), (3600, "in 1 hour")])
    func distance(seconds: Int, expected: String) {
        #expect(TokenInspection.distance(to: Self.now.addingTimeInterval(TimeInterval(seconds)), from: Self.now) == expected)
    }

    @Test("The phrase names the moment and the distance; a token without expiry never expires")
    func phrase() throws {
        let info = try Self.info(expiringIn: 20 * 3600)
        #expect(TokenInspection.expiryPhrase(info.expiresAt, now: Self.now) == "on 2026-09-22T10:13:20Z, in 20 hours")
        #expect(TokenInspection.expiryPhrase(nil, now: Self.now) == "never")
        #expect(TokenInspection.expiryPhrase(0, now: Self.now) == "never")
    }

    @Test("A USER token within 48 hours of its expiry is in the failure window; further out it is not", arguments: [(20 * 3600, true), (48 * 3600, true), (49 * 3600, false), (30 * 86400, false)])
    func userTokenWindow(seconds: Int, fails: Bool) throws {
        #expect(TokenInspection.expiresWithinUserTokenWindow(try Self.info(expiringIn: seconds), now: Self.now) == fails)
    }
}
