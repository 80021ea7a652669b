import Foundation

/// `HTTPS_PROXY` (or `https_proxy`) and `NO_PROXY`, read from the environment. A value that is not
/// a usable proxy URL is a configuration error, never a silent direct connection; credentials in
/// it (`http://user:pass@proxy:3128`) are used for the proxy's Basic authentication.
public struct ProxyConfiguration: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let username: String?
    /// The proxy password: a secret, redacted from every output.
    public let password: Secret?
    /// `NO_PROXY` entries, lowercased.
    public let noProxy: [String]

    public init(host: String, port: Int, username: String? = nil, password: Secret? = nil, noProxy: [String] = []) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.noProxy = noProxy
    }

    /// The variable's name, for messages.
    static func variable(in environment: [String: String]) -> (name: String, value: String)? {
        for name in ["HTTPS_PROXY", "https_proxy"] {
            if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty { return (name, value) }
        }
        return nil
    }

    /// nil when no proxy is set; an error, naming the variable and never its value, when the value
    /// is not `[http://][user:password@]host[:port]`.
    public static func parse(environment: [String: String]) -> Result<ProxyConfiguration?, ProxyConfigurationError> {
        guard let (name, raw) = variable(in: environment) else { return .success(nil) }
        let value = raw.trimmingCharacters(in: .whitespaces)
        func failure(_ reason: String) -> Result<ProxyConfiguration?, ProxyConfigurationError> {
            .failure(ProxyConfigurationError(message: "\(name) (environment) \(reason); expected http://[user:password@]host:port."))
        }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == " " }) else {
            return failure("contains spaces or control characters")
        }
        let withScheme = value.contains("://") ? value : "http://\(value)"
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased() else {
            return failure("is not a URL")
        }
        guard scheme == "http" else {
            return failure(
                scheme == "https"
                    ? "is an https:// proxy (TLS to the proxy), which is not supported"
                    : "is a \(scheme):// proxy, which is not supported")
        }
        guard let host = components.host, !host.isEmpty else { return failure("names no host") }
        let port = components.port ?? 80
        guard (1...65535).contains(port) else { return failure("has a port outside 1-65535") }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            return failure("has a path or query after the host")
        }
        let username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password.map(Secret.init)
        if password != nil, username == nil { return failure("has a password but no user name") }
        let noProxy = (environment["NO_PROXY"] ?? environment["no_proxy"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        return .success(ProxyConfiguration(host: host, port: port, username: username, password: password, noProxy: noProxy))
    }
}

public struct ProxyConfigurationError: Error, Equatable {
    public let message: String
}
