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
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
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

    public var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
