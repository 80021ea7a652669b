import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A certificate authority made at run time, and the server certificates it issues, so that
/// webhook backends speak real TLS with certificates dated from the real clock (BoringSSL ignores
/// any injected clock) and no expiring PEM lives in the repository.
public struct SandboxPKI: Sendable {
    public let caCertificate: Certificate
    private let caKey: Certificate.PrivateKey

    /// What a server certificate should look like.
    public enum Variant: String, Sendable, CaseIterable {
        case valid
        case expired
        case notYetValid = "not-yet-valid"
        case selfSigned = "self-signed"
        case wrongHost = "wrong-host"
        /// For a host name and another IP address than the one the URL names.
        case wrongAddress = "wrong-address"
        case expiringSoon = "expiring-soon"
        /// Issued by an intermediate the server does not send.
        case incompleteChain = "incomplete-chain"
    }

    public init() throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("meta-doctor sandbox CA") }
        let now = Date()
        caKey = Certificate.PrivateKey(key)
        caCertificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86400), issuer: name,
            subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: caKey)
    }

    /// The CA as PEM, for `--ca-file`.
    public func caPEM() throws -> String { try caCertificate.serializeAsPEM().pemString }

    /// Writes the CA to a new file in the temporary directory; returns its path.
    public func writeCAFile() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meta-doctor-sandbox-ca-\(UUID().uuidString).pem")
        try Data(caPEM().utf8).write(to: url)
        return url.path
    }

    /// An IP address SAN for an IPv4 address, a DNS name SAN otherwise.
    static func subjectAlternativeName(_ host: String) -> GeneralName {
        let octets = host.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4, host.split(separator: ".").count == 4 else { return .dnsName(host) }
        return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets)))
    }

    /// A server TLS configuration for `host` whose certificate is of `variant`.
    public func serverTLS(host: String, variant: Variant) throws -> TLSConfiguration {
        let now = Date()
        let key = P256.Signing.PrivateKey()
        let leafKey = Certificate.PrivateKey(key)
        var names = [Self.subjectAlternativeName(host)]
        var commonName = host
        var notBefore = now.addingTimeInterval(-3600)
        var notAfter = now.addingTimeInterval(90 * 86400)
        var issuerName = caCertificate.subject
        var issuerKey = caKey
        switch variant {
        case .valid, .incompleteChain: break
        case .expired:
            notBefore = now.addingTimeInterval(-90 * 86400)
            notAfter = now.addingTimeInterval(-86400)
        case .notYetValid:
            notBefore = now.addingTimeInterval(86400)
            notAfter = now.addingTimeInterval(90 * 86400)
        case .wrongHost:
            commonName = "wrong-host.example.net"
            names = [.dnsName(commonName)]
        case .wrongAddress:
            commonName = "shop-bot.example.com"
            names = [.dnsName(commonName), Self.subjectAlternativeName("198.51.100.7")]
        case .expiringSoon:
            notAfter = now.addingTimeInterval(7 * 86400)
        case .selfSigned:
            issuerName = try DistinguishedName { CommonName(host) }
            issuerKey = leafKey
        }
        if variant == .incompleteChain {
            // An intermediate signed by the CA issues the leaf; the server sends only the leaf.
            let intermediateKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
            let intermediateName = try DistinguishedName { CommonName("meta-doctor sandbox intermediate") }
            _ = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: intermediateKey.publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: caCertificate.subject, subject: intermediateName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0)) },
                issuerPrivateKey: caKey)
            issuerName = intermediateName
            issuerKey = intermediateKey
        }
        let subject = try DistinguishedName { CommonName(commonName) }
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: leafKey.publicKey, notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: issuerName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames(names)
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: issuerKey)
        let certificate = try NIOSSLCertificate(bytes: Array(leaf.serializeAsPEM().pemString.utf8), format: .pem)
        let privateKey = try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(privateKey))
    }
}
