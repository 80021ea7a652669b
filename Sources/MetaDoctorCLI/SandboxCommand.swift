import ArgumentParser
import Foundation
import MetaSandbox

extension MetaDoctorCommand {
    /// `meta-doctor sandbox`: run the sandbox in the foreground to try every flag by hand.
    public struct Sandbox: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run the sandbox in the foreground and print a .env that points `check` at it.")

        @Option(help: ArgumentHelp("The sandbox scenario.", valueName: "name")) var scenario: String = "healthy"
        @Option(help: ArgumentHelp("The port (0 picks a free one).", valueName: "port")) var port: Int = 0

        public init() {}

        public func validate() throws {
            guard SandboxScenarios.named(scenario) != nil else {
                throw ValidationError("Unknown scenario '\(scenario)'; `meta-doctor demo --list-scenarios` lists them.")
            }
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535.") }
        }

        public func run() async throws {
            // Runs until SIGTERM or SIGINT (Ctrl-C) shuts the world down gracefully.
            try await SandboxWorld.serve(scenario: SandboxScenarios.named(scenario)!, graphPort: port) { [scenario] world in
                let flags = (world.connectTo.map { "--connect-to \($0)" } + ["--ca-file \(world.caFile)", "--ngrok-api \(world.ngrokAPI)"])
                    .joined(separator: " ")
                Terminal.writeErr("meta-doctor: sandbox '\(scenario)': Graph API at \(world.graph.baseURL), webhook backend on 127.0.0.1:\(world.webhook.port); Ctrl-C stops it.\n")
                Terminal.writeErr("meta-doctor: save standard output as sandbox.env and run:\n  meta-doctor check --env-file sandbox.env \(flags)\n")
                for (name, value) in world.environment().sorted(by: { $0.key < $1.key }) {
                    Terminal.writeOut("\(name)=\(value)\n")
                }
            }
        }
    }
}
