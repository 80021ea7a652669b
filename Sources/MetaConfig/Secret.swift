import Crypto
import Foundation

/// A secret value (token, app secret, verify token). Its description is a fingerprint, so a secret
/// interpolated by mistake into a message, a log line or a report shows no more than that.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself: only for an Authorization header, a form body or an HMAC key.
    public let exposedValue: String

    public init(_ value: String) { exposedValue = value }

    /// Enough to tell two secrets apart, never any piece of one: a SHA-256 prefix.
    public var fingerprint: String {
        let digest = SHA256.hash(data: Data(exposedValue.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        return "sha256:\(digest)"
    }

    public var description: String { "‹secret \(fingerprint)›" }
    public var debugDescription: String { description }
    public var isEmpty: Bool { exposedValue.isEmpty }
}
