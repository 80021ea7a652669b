import AsyncHTTPClient
import DoctorKit
import Foundation
import MetaConfig
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The live transport: AsyncHTTPClient, one pooled client per run, configured for a diagnostic
/// tool: a refused connection or an untrusted certificate is reported at once (no connection
/// retries), redirects are not followed, one deadline covers the head and the body, the body is
/// bounded, and `--connect-to`, `--ca-file` and `HTTPS_PROXY`/`NO_PROXY` apply.
public final class AHCTransport: HTTPTransport {
    public struct Settings: Sendable {
        /// Extra trust roots (PEM file), added to the system's.
        public var caFile: String?
        public var connectTo: [ConnectTo]
        /// The proxy for requests whose host `noProxy` does not exclude.
        public var proxy: ProxySettings?
        public var connectTimeout: Duration
        /// Connections kept open to one host at once: enough for one check's concurrent requests by
        /// default; runs sharing one transport (`fleet`) need that many for each run in flight.
        public var connectionsPerHost: Int

        public init(
            caFile: String? = nil, connectTo: [ConnectTo] = [], proxy: ProxySettings? = nil, connectTimeout: Duration = .seconds(5),
            connectionsPerHost: Int = Settings.connectionsPerCheck
        ) {
            self.caFile = caFile
            self.connectTo = connectTo
            self.proxy = proxy
            self.connectTimeout = connectTimeout
            self.connectionsPerHost = connectionsPerHost
        }

        /// Enough for a full check's concurrent requests to one host.
        public static let connectionsPerCheck = 32
    }

    private let direct: HTTPClient
    private let proxied: HTTPClient?
    private let settings: Settings
    private let isShutDown = Mutex(false)

    public init(settings: Settings = Settings()) throws {
        self.settings = settings
        // Both configurations first: a client made before the other's configuration threw would be
        // dropped without a shutdown.
        let directConfiguration = try Self.configuration(settings, proxy: nil)
        let proxiedConfiguration = try settings.proxy.map { try Self.configuration(settings, proxy: $0.clientProxy) }
        direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: directConfiguration)
        proxied = proxiedConfiguration.map { HTTPClient(eventLoopGroupProvider: .singleton, configuration: $0) }
    }

    /// A transport dropped without `shutdown()` (on a path that threw first) still closes its
    /// connections. AsyncHTTPClient's own deinit would leak them, and stops a debug build.
    deinit {
        guard !isShutDown.withLock({ $0 }) else { return }
        _ = direct.shutdown()
        _ = proxied?.shutdown()
    }

    private static func configuration(_ settings: Settings, proxy: HTTPClient.Configuration.Proxy?) throws -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(settings.connectTimeout.milliseconds * 1_000_000)), read: nil),
            proxy: proxy)
        configuration.connectionPool.retryConnectionEstablishment = false
        // A run sends its independent requests at once: every planned Graph read, and each
        // platform's webhook requests (one backend often serves all three). AsyncHTTPClient's default
        // of 8 connections a host would queue the rest behind them.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = settings.connectionsPerHost
        configuration.httpVersion = .http1Only
        configuration.dnsOverride = Dictionary(
            settings.connectTo.map { ($0.host, $0.targetHost) }, uniquingKeysWith: { first, _ in first })
        return configuration
    }

    /// Closes every connection; call once when the run ends.
    public func shutdown() async {
        isShutDown.withLock { $0 = true }
        try? await direct.shutdown().get()
        try? await proxied?.shutdown().get()
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard let parts = URLParts(request.url) else { throw .invalidURL("not an http(s) URL with a host") }
        var url = request.url
        var connectedTo: String?
        var headers = HTTPHeaders()
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        if let rule = ConnectTo.rule(for: parts.host, port: parts.port, in: settings.connectTo) {
            // dnsOverride dials the override host with the URL's port and keeps SNI; the port is
            // rewritten here and the Host header keeps the original authority.
            url = "\(parts.scheme)://\(parts.host):\(rule.targetPort)\(parts.pathAndQuery)"
            headers.replaceOrAdd(name: "Host", value: parts.authority)
            connectedTo = "\(rule.targetHost):\(rule.targetPort)"
        }
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers = headers
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }

        let client = useProxy(for: parts.host) ? (proxied ?? direct) : direct
        let limit = request.maxBodyBytes
        let timeout = request.timeout
        let prepared = outgoing
        let target = connectedTo
        let outcome = await withTimeLimit(timeout, clock: ContinuousClock()) {
            let response = try await client.execute(prepared, timeout: .nanoseconds(Int64(timeout.milliseconds * 1_000_000)))
            let body = try await Self.readBody(response, limit: limit)
            return HTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: body, connectedTo: target)
        }
        switch outcome {
        case .value(let response): return response
        case .timedOut: throw .timedOut(timeout)
        case .cancelled: throw .other("cancelled")
        case .thrown(let error): throw Self.classify(error, limit: limit, timeout: timeout)
        }
    }

    /// Reads at most `limit` bytes of body, failing as soon as the Content-Length or the bytes read
    /// pass it (the request's deadline then closes the abandoned connection).
    static func readBody(_ response: HTTPClientResponse, limit: Int) async throws -> [UInt8] {
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
            throw NIOTooManyBytesError(maxBytes: limit)
        }
        var collected: [UInt8] = []
        for try await chunk in response.body {
            guard collected.count + chunk.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
            collected.append(contentsOf: chunk.readableBytesView)
        }
        return collected
    }

    private func useProxy(for host: String) -> Bool {
        guard let proxy = settings.proxy else { return false }
        return !proxy.bypasses(host)
    }

    /// Maps the HTTP stack's errors to the categories the probes report.
    static func classify(_ error: any Error, limit: Int, timeout: Duration) -> TransportError {
        if error is NIOTooManyBytesError { return .bodyTooLarge(limit: limit) }
        if let connection = error as? NIOConnectionError {
            if let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return .nameResolution("\(connection.host): \(dns)")
            }
            return .connection(connection.connectionErrors.first.map { Self.describeConnection($0.error) } ?? "\(connection)")
        }
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout: return .timedOut(timeout)
            case .connectTimeout: return .connection("the TCP connection did not open in time")
            case .tlsHandshakeTimeout: return .tls("the TLS handshake did not finish in time")
            case .remoteConnectionClosed: return .connection("the server closed the connection before a complete answer")
            case .invalidURL, .emptyHost, .emptyScheme: return .invalidURL("\(client)")
            default: return .other("\(client)")
            }
        }
        if let parser = error as? HTTPParserError {
            if case .invalidEOFState = parser { return .connection("the server closed the connection before a complete answer") }
            return .other("the reply is not valid HTTP (\(parser))")
        }
        if let ssl = error as? NIOSSLError { return .tls(Self.describeTLS("\(ssl)")) }
        if let ssl = error as? NIOSSLExtraError { return .tls(Self.describeTLS("\(ssl)")) }
        if error is IOError { return .connection(Self.describeConnection(error)) }
        if error is ChannelError { return .connection("\(error)") }
        return .other("\(error)")
    }

    /// The operating system's words for a socket error ("Connection refused"): NIO's own
    /// description nests its reason in brackets that read badly inside a sentence.
    static func describeConnection(_ error: any Error) -> String {
        guard let io = error as? IOError else { return "\(error)" }
        return String(cString: strerror(io.errnoCode))
    }

    private static func describeTLS(_ text: String) -> String {
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return "the certificate is not trusted" }
        if text.contains("failedToValidateHostname") || text.contains("Couldn't find") {
            return "the certificate does not name this host"
        }
        return text
    }
}

/// `HTTPS_PROXY` and `NO_PROXY`, which AsyncHTTPClient does not read by itself.
public struct ProxySettings: Sendable, Equatable {
    public let host: String
    public let port: Int
    /// Basic authentication for the proxy, from the credentials in `HTTPS_PROXY`.
    public let username: String?
    public let password: Secret?
    /// `NO_PROXY` entries: host names (a leading dot or not matches subdomains too) or `*`.
    public let noProxy: [String]

    public init(host: String, port: Int, noProxy: [String], username: String? = nil, password: Secret? = nil) {
        self.host = host
        self.port = port
        self.noProxy = noProxy
        self.username = username
        self.password = password
    }

    public init(_ configuration: ProxyConfiguration) {
        self.init(
            host: configuration.host, port: configuration.port, noProxy: configuration.noProxy, username: configuration.username,
            password: configuration.password)
    }

    /// Reads `HTTPS_PROXY`/`https_proxy` and `NO_PROXY`/`no_proxy`; nil when unset or unusable
    /// (the `config` check reports an unusable one).
    public init?(environment: [String: String]) {
        guard case .success(let configuration?) = ProxyConfiguration.parse(environment: environment) else { return nil }
        self.init(configuration)
    }

    /// AsyncHTTPClient's proxy, with Basic authentication when credentials were given.
    var clientProxy: HTTPClient.Configuration.Proxy {
        guard let username else { return .server(host: host, port: port) }
        return .server(host: host, port: port, authorization: .basic(username: username, password: password?.exposedValue ?? ""))
    }

    public func bypasses(_ host: String) -> Bool {
        let host = host.lowercased()
        return noProxy.contains { entry in
            if entry == "*" { return true }
            let bare = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            return host == bare || host.hasSuffix("." + bare)
        }
    }
}
