import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph

/// A transport for probes that must not touch the network.
struct UnreachableTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        throw .connection("this test is offline")
    }
}

enum TestEnvironment {
    /// An environment whose network calls all fail: for probes that make none.
    static func offline(_ configuration: MetaConfiguration, now: Date = Date()) -> ProbeEnvironment {
        ProbeEnvironment(
            configuration: configuration,
            graph: GraphClient(transport: UnreachableTransport(), baseURL: configuration.graphURL, version: configuration.graphVersion, appSecret: nil),
            webTransport: UnreachableTransport(), enabledPlatforms: [], now: { now })
    }
}
