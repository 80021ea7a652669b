import Foundation

/// The parts of an http(s) URL the transports and probes need.
public struct URLParts: Sendable, Equatable {
    public let scheme: String
    public let host: String
    public let port: Int
    /// Path and query, at least "/".
    public let pathAndQuery: String

    public init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            // The encoded host keeps an A-label (xn--…) as DNS, SNI and --connect-to need it.
            scheme == "http" || scheme == "https", let host = components.encodedHost ?? components.host, !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
        port = components.port ?? (scheme == "https" ? 443 : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        pathAndQuery = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    /// The authority a Host header carries: the port only when it is not the scheme's default.
    public var authority: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let isDefault = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        return isDefault ? bracketed : "\(bracketed):\(port)"
    }

    /// The URL normalised for comparison: scheme and host lowercased, a default port dropped.
    public var normalized: String { "\(scheme)://\(authority)\(pathAndQuery)" }

    /// "https://host[:port]".
    public var origin: String { "\(scheme)://\(authority)" }

    /// Whether the port is one TCP can use.
    public var hasValidPort: Bool { (1...65535).contains(port) }

    /// `localhost`, or an address (not a name) in 127.0.0.0/8 or `::1`: "127.example.com" is a
    /// name that DNS may send anywhere.
    public var isLoopback: Bool {
        if host == "localhost" { return true }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }
}
