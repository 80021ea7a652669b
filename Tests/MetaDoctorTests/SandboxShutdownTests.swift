import Foundation
import MetaGraph
import MetaSandbox
import Testing

@Suite("Stopping the sandbox ends the requests still waiting on a fault", .timeLimit(.minutes(1)))
struct SandboxShutdownTests {
    @Test("stop() during a hanging request returns at once, and the request ends without an answer")
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
        // "At once" against the hang, which lasts until the request's own 300 s deadline: a generous
        // bound, so a loaded machine cannot fail it, while a stop() that waited for the hang would.
        #expect(clock.now - stopping < .seconds(30))
        await #expect(throws: (any Error).self, "no reply, not even an error page") { _ = try await waiting.value }
        await transport.shutdown()
    }
}
