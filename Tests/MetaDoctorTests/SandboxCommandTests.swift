import DoctorTestSupport
import Foundation
import MetaConfig
import MetaGraph
import MetaSandbox
import Testing

extension SandboxRuns {
    @Suite("meta-doctor sandbox serves until a signal stops it", .timeLimit(.minutes(1)))
    struct SandboxCommandTests {
        /// Foundation's Process starts children with most signals blocked, which hides whether the
        /// command handles them; this starts it as a shell does: every signal unblocked, SIGTERM and
        /// SIGINT at their default action.
        static let asFromAShell = [
            "-c",
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                + "signal.signal(signal.SIGTERM, signal.SIG_DFL); signal.signal(signal.SIGINT, signal.SIG_DFL); "
                + "os.execv(sys.argv[1], sys.argv[1:])",
        ]

        @Test(
            "sandbox prints a .env whose Graph API answers; SIGTERM and SIGINT stop it gracefully with exit 0",
            arguments: [SIGTERM, SIGINT])
        func stopsOnSignal(signal: Int32) async throws {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the commands with signals unblocked")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = Self.asFromAShell + [MetaDoctorBinary.path, "sandbox", "--scenario", "healthy"]
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            let printed = await PipeReader(stdout).wait(until: { $0.contains("\(ConfigKey.pageID.name)=") && $0.hasSuffix("\n") })
            let environment = try DotEnv.parse(printed, file: "sandbox's output").values
            let graphURL = try #require(environment[ConfigKey.graphURL.name])
            let token = try #require(environment[ConfigKey.pageAccessToken.name])

            let transport = try AHCTransport()
            let served = try await transport.send(
                HTTPRequest(
                    method: "GET", url: graphURL + "/v25.0/me?fields=id", headers: [("Authorization", "Bearer \(token)")],
                    body: nil, timeout: .seconds(5)))
            #expect(served.status == 200)

            kill(process.processIdentifier, signal)
            await process.exited()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            await #expect(throws: (any Error).self, "the Graph API stopped with the command") {
                _ = try await transport.send(
                    HTTPRequest(method: "GET", url: graphURL + "/v25.0/me", headers: [], body: nil, timeout: .seconds(2)))
            }
            await transport.shutdown()
        }
    }
}
