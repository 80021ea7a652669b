import DoctorKit
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import SwiftASN1
import Synchronization
import X509

/// What the TLS handshake with an endpoint showed.
public struct TLSInspection: Sendable, Equatable {
    /// The address the connection went to ("127.0.0.1:8443").
    public var connectedAddress: String?
    /// "TLSv1.3"; nil when the handshake failed.
    public var tlsVersion: String?
    public var certificate: CertificateSummary?
    /// Why Meta would reject the certificate; nil when it is trusted.
    public var problem: TLSProblem?
}

/// The leaf certificate, as a report shows it.
public struct CertificateSummary: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var notValidBefore: Date
    public var notValidAfter: Date
    public var dnsNames: [String]
    /// The IP addresses among the subject alternative names ("192.0.2.7").
    public var ipAddresses: [String]
    public var chainLength: Int

    /// Every name the certificate covers: DNS names, then IP addresses.
    public var names: [String] { dnsNames + ipAddresses }
}

/// Why a certificate is not trusted, each with its own message.
public enum TLSProblem: Sendable, Equatable, CustomStringConvertible {
    case expired(Date)
    case notYetValid(Date)
    case wrongHost(host: String, names: [String])
    case selfSigned
    case untrustedChain(issuer: String)
    /// The handshake failed before a certificate was judged (not TLS, a protocol mismatch).
    case handshake(String)

    public var description: String {
        switch self {
        case .expired(let date): "the certificate expired on \(date.formatted(.iso8601))"
        case .notYetValid(let date): "the certificate is not valid before \(date.formatted(.iso8601))"
        case .wrongHost(let host, let names):
            "the certificate does not cover \(host) (\(names.isEmpty ? "it names no host" : "it names \(names.joined(separator: ", "))"))"
        case .selfSigned: "the certificate is self-signed"
        case .untrustedChain(let issuer):
            "the certificate's issuer (\(issuer)) is not trusted: an unknown CA, or the server does not send its intermediate certificates"
        case .handshake(let detail): "the TLS handshake failed (\(detail))"
        }
    }
}

/// Inspects an endpoint's TLS with SwiftNIO and NIOSSL directly, since AsyncHTTPClient exposes
/// neither the certificate chain nor the TLS version and NIOSSL's failure does not say why. The
/// verification callback receives the presented chain and classifies it, most specific reason
/// first: its dates at `now`, whether it covers the host (DNS names, or IP addresses for an IP
/// host), then the chain with swift-certificates' `Verifier` (RFC 5280, system roots plus
/// `--ca-file`). Meta rejects each of these (MB-W7).
public struct TLSInspector: Sendable {
    public let extraRoots: [Certificate]
    public let connectTo: [ConnectTo]
    public let now: @Sendable () -> Date

    public init(caFile: String?, connectTo: [ConnectTo] = [], now: @escaping @Sendable () -> Date = { Date() }) throws {
        if let caFile {
            let pem = try String(contentsOfFile: caFile, encoding: .utf8)
            extraRoots = try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
        } else {
            extraRoots = []
        }
        self.connectTo = connectTo
        self.now = now
    }

    /// An inspector trusting the system's roots only.
    public static let systemRootsOnly = TLSInspector(extraRoots: [], connectTo: [])

    init(extraRoots: [Certificate], connectTo: [ConnectTo], now: @escaping @Sendable () -> Date = { Date() }) {
        self.extraRoots = extraRoots
        self.connectTo = connectTo
        self.now = now
    }

    public func inspect(host: String, port: Int, timeout: Duration) async throws(TransportError) -> TLSInspection {
        let rule = ConnectTo.rule(for: host, port: port, in: connectTo)
        let targetHost = rule?.targetHost ?? host
        let targetPort = rule?.targetPort ?? port
        let outcome = await withTimeLimit(timeout, clock: ContinuousClock()) { [self] in
            try await handshake(host: host, targetHost: targetHost, targetPort: targetPort, timeout: timeout)
        }
        switch outcome {
        case .value(let inspection): return inspection
        case .timedOut: throw .timedOut(timeout)
        case .cancelled: throw .other("cancelled")
        case .thrown(let error as TransportError): throw error
        case .thrown(let error): throw AHCTransport.classify(error, limit: 0, timeout: timeout)
        }
    }

    private func handshake(host: String, targetHost: String, targetPort: Int, timeout: Duration) async throws -> TLSInspection {
        let judgement = Judgement()
        let roots = CertificateStore.systemTrustRoots.appending(contentsOf: extraRoots)
        let now = now()
        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
        let serverName = Self.addressBytes(host) == nil ? host : nil
        let handshakeDone = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)

        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout.milliseconds)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(
                        context: context, serverHostname: serverName,
                        customVerificationCallbackWithMetadata: { presented, promise in
                            Task {
                                let (summary, problem) = await Self.judge(presented, host: host, roots: roots, now: now)
                                judgement.record(summary, problem)
                                promise.succeed(problem == nil ? .certificateVerified(VerificationMetadata(nil)) : .failed)
                            }
                        })
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(done: handshakeDone))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: targetHost, port: targetPort).get()
        } catch {
            handshakeDone.fail(error)
            throw error
        }
        // A handshake that stalls ends here: closing the channel fails the promise (channelInactive).
        let closer = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout.milliseconds))) { channel.close(promise: nil) }
        defer {
            closer.cancel()
            channel.close(promise: nil)
        }
        let address = channel.remoteAddress.map { "\($0.ipAddress ?? targetHost):\($0.port ?? targetPort)" }
        do {
            try await handshakeDone.futureResult.get()
        } catch {
            let (summary, problem) = judgement.value
            return TLSInspection(
                connectedAddress: address, tlsVersion: nil, certificate: summary,
                problem: problem ?? .handshake(Self.describe(error)))
        }
        let version = try? await channel.nioSSL_tlsVersion().get()
        let (summary, problem) = judgement.value
        return TLSInspection(connectedAddress: address, tlsVersion: version.map(Self.name), certificate: summary, problem: problem)
    }

    /// Classifies the presented chain, most specific reason first.
    static func judge(_ presented: [NIOSSLCertificate], host: String, roots: CertificateStore, now: Date) async -> (CertificateSummary?, TLSProblem?) {
        let chain: [Certificate]
        do {
            chain = try presented.map { try Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            return (nil, .handshake("the server's certificate cannot be parsed"))
        }
        guard let leaf = chain.first else { return (nil, .handshake("the server presented no certificate")) }
        let names = dnsNames(of: leaf)
        let addresses = ipAddresses(of: leaf)
        let summary = CertificateSummary(
            subject: leaf.subject.description, issuer: leaf.issuer.description, notValidBefore: leaf.notValidBefore,
            notValidAfter: leaf.notValidAfter, dnsNames: names, ipAddresses: addresses.map(\.text), chainLength: chain.count)
        if now > leaf.notValidAfter { return (summary, .expired(leaf.notValidAfter)) }
        if now < leaf.notValidBefore { return (summary, .notYetValid(leaf.notValidBefore)) }
        // The identity is judged here, for host names and IP addresses alike, so that a trusted
        // certificate for another host reads as such rather than as an untrusted issuer; the
        // verifier below then judges the chain alone.
        let covered = if let hostAddress = addressBytes(host) {
            addresses.contains { $0.bytes == hostAddress }
        } else {
            names.contains { matches(host: host, pattern: $0) }
        }
        if !covered { return (summary, .wrongHost(host: host, names: summary.names)) }
        var verifier = Verifier(rootCertificates: roots) { RFC5280Policy() }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst())) {
        case .validCertificate:
            return (summary, nil)
        case .couldNotValidate:
            if leaf.subject == leaf.issuer { return (summary, .selfSigned) }
            return (summary, .untrustedChain(issuer: leaf.issuer.description))
        }
    }

    static func dnsNames(of certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            if case .dnsName(let value) = name { return value.lowercased() }
            return nil
        }
    }

    /// The IP addresses among the subject alternative names, as bytes and as text.
    static func ipAddresses(of certificate: Certificate) -> [(bytes: [UInt8], text: String)] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            guard case .ipAddress(let octets) = name else { return nil }
            let bytes = Array(octets.bytes)
            switch bytes.count {
            case 4: return (bytes, bytes.map(String.init).joined(separator: "."))
            case 16:
                let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                return (bytes, groups.joined(separator: ":"))
            default: return nil
            }
        }
    }

    /// The bytes of an IPv4 or IPv6 address; nil for a host name.
    static func addressBytes(_ host: String) -> [UInt8]? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        switch try? SocketAddress(ipAddress: bare, port: 0) {
        case .v4(let address)?: return withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
        case .v6(let address)?: return withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
        default: return nil
        }
    }

    /// RFC 6125 matching: exact, or a leading `*.` wildcard for exactly one label.
    static func matches(host: String, pattern: String) -> Bool {
        let host = host.lowercased()
        if pattern == host { return true }
        guard pattern.hasPrefix("*.") else { return false }
        let suffix = pattern.dropFirst(1)
        guard host.hasSuffix(suffix) else { return false }
        return !host.dropLast(suffix.count).contains(".")
    }

    static func name(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1.0"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("wrong version number") {
            return "the server does not speak TLS on this port"
        }
        return text
    }
}

/// The verification callback's verdict, read once the handshake ends.
private final class Judgement: Sendable {
    private let state = Mutex<(CertificateSummary?, TLSProblem?)>((nil, nil))
    func record(_ summary: CertificateSummary?, _ problem: TLSProblem?) { state.withLock { $0 = (summary, problem) } }
    var value: (CertificateSummary?, TLSProblem?) { state.withLock { $0 } }
}

/// Completes `done` when the TLS handshake finishes, or fails it on the first error or close.
private final class HandshakeWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny
    let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) { self.done = done }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { done.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
