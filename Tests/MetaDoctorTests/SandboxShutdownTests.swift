import DoctorTestSupport
import Foundation
import MetaGraph
import MetaSandbox
import Synchronization
import Testing

@Suite("Stopping the sandbox ends the requests still waiting on a fault", .timeLimit(.minutes(1)))
struct SandboxShutdownTests {
    @Test("stop() during a hanging request cancels it after a short grace, and the request ends without an answer")
    func stopDuringHang() async throws {
        let sandbox = try await GraphSandbox.start(scenario: SandboxScenarios.healthy, faults: [SandboxFault(.hang)])
        let transport = try AHCTransport()
        let url = sandbox.baseURL + "/v25.0/me"
        let waiting = Task {
            try await transport.send(HTTPRequest(method: "GET", url: url, headers: [], body: nil, timeout: .seconds(300)))
        }
        while await sandbox.requests().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        let clock = ContinuousClock()
        let stopping = clock.now
        await sandbox.stop()
        // Short against the hang, which lasts until the request's own 300 s deadline: a generous
        // bound, so a loaded machine cannot fail it, while a stop() that waited for the hang would.
        #expect(clock.now - stopping < .seconds(30))
        await #expect(throws: (any Error).self, "no reply, not even an error page") { _ = try await waiting.value }
        await transport.shutdown()
    }

    /// NIO stops the process when a server drops a connection it accepted but had not handed over
    /// yet (apple/swift-nio#3481); cancelling the serving task did that to whichever test stopped
    /// its sandbox while a client was still connecting. Without the graceful stop this test crashes
    /// the test process within a few rounds.
    @Test("Stopping a sandbox while a client keeps opening connections ends cleanly, round after round")
    func stopWhileConnecting() async throws {
        for _ in 0..<40 {
            let sandbox = try await GraphSandbox.start(scenario: SandboxScenarios.healthy)
            let port = sandbox.port
            let stopped = StopFlag()
            // A thread of its own: connect blocks, and the concurrency pool has two threads on CI.
            let connecting = Task {
                await onOwnThread {
                    while !stopped.isSet { Self.connectAndClose(port: port) }
                }
            }
            try await Task.sleep(for: .milliseconds(10))
            await sandbox.stop()
            stopped.set()
            await connecting.value
        }
    }

    /// One TCP connection to the loopback port, closed as soon as it is open (or refused).
    private static func connectAndClose(port: Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return }
        defer { close(socket) }
        // A connect waiting on a full backlog would retry for a second; the test only needs tries.
        var patience = timeval(tv_sec: 0, tv_usec: 50_000)
        _ = setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

/// Set once by the test, read by the connecting thread.
private final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
