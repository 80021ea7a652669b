import DoctorKit

/// An HTTP request as the probes make it: plain values, so tests can stub the transport.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// One deadline for the head and the whole body together.
    public var timeout: Duration
    /// The most body bytes read; more is `TransportError.bodyTooLarge`.
    public var maxBodyBytes: Int

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(10), maxBodyBytes: Int = 1 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An HTTP response with its whole (bounded) body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Where the connection went when `--connect-to` rerouted it ("127.0.0.1:8443"), else nil.
    public var connectedTo: String?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], connectedTo: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.connectedTo = connectedTo
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why no response came back.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    /// The URL cannot be requested (not http(s), no host).
    case invalidURL(String)
    /// The host name did not resolve.
    case nameResolution(String)
    /// The TCP connection was refused, reset or closed early.
    case connection(String)
    /// The TLS handshake failed (untrusted, expired or wrong-name certificate).
    case tls(String)
    /// The head and body did not arrive within the deadline.
    case timedOut(Duration)
    /// The body was larger than the bound.
    case bodyTooLarge(limit: Int)
    /// Anything else the HTTP stack reported.
    case other(String)

    public var description: String {
        switch self {
        case .invalidURL(let detail): "invalid URL: \(detail)"
        case .nameResolution(let detail): "the host name did not resolve (\(detail))"
        case .connection(let detail): "the connection failed (\(detail))"
        case .tls(let detail): "the TLS handshake failed (\(detail))"
        case .timedOut(let limit): "no complete answer within \(limit.secondsText)"
        case .bodyTooLarge(let limit): "the reply is larger than \(limit / 1024) KiB"
        case .other(let detail): detail
        }
    }
}

/// Sends HTTP requests. The live implementation is `AHCTransport`; tests may stub it.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
