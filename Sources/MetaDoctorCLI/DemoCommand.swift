import ArgumentParser
import Foundation
import MetaConfig
import MetaSandbox

extension MetaDoctorCommand {
    /// `meta-doctor demo`: the full check graph against the embedded sandbox.
    public struct Demo: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run every check against the embedded sandbox, which emulates Meta on loopback.",
            discussion: """
                The default scenario is a realistic broken setup, so the demo exits 1. --list-scenarios names every \
                scenario; --scenario healthy exits 0. Your own .env and environment are ignored.
                """)

        @Option(help: ArgumentHelp("The sandbox scenario.", valueName: "name"), completion: .list(SandboxScenarios.all.map(\.name)))
        var scenario: String = Demo.defaultScenario
        @Flag(help: "List the scenarios and exit.") var listScenarios = false
        @Flag(help: "Show the whole repair loop instead: fix's plan, the writes (to the sandbox), and the checks again.")
        var fix = false
        @OptionGroup(title: "Run and report") var options: RunOptions

        public static let defaultScenario = "onboarding"

        public init() {}

        public func validate() throws {
            guard listScenarios || SandboxScenarios.named(scenario) != nil else {
                throw ValidationError("Unknown scenario '\(scenario)'; `meta-doctor demo --list-scenarios` lists them.")
            }
        }

        public func run() async throws {
            if listScenarios {
                let width = SandboxScenarios.all.map(\.name.count).max() ?? 0
                for scenario in SandboxScenarios.all {
                    Terminal.writeOut("\(scenario.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(scenario.summary)\n")
                }
                return
            }
            let started = ContinuousClock.now
            if fix {
                let world = try await SandboxWorld.start(scenario: SandboxScenarios.named(scenario)!)
                let request = DoctorRunRequest.forSandbox(world, options: options, startedAt: started)
                Terminal.writeErr("meta-doctor: fix --apply against the sandbox (Graph API at \(world.graph.baseURL)), scenario '\(scenario)'\n")
                let status: Int32
                do {
                    status = try await FixExecution.execute(request, apply: true, configurationWrites: .inMemory, json: options.formats == ["json"])
                } catch {
                    await world.stop()
                    throw error
                }
                await world.stop()
                if status != 0 { throw ExitCode(status) }
                return
            }
            let targets = try OutputTarget.validated(options.formats, output: options.output, input: nil)
            let world = try await SandboxWorld.start(scenario: SandboxScenarios.named(scenario)!)
            let request = DoctorRunRequest.forSandbox(world, options: options, startedAt: started)
            do {
                try await CheckExecution.execute(
                    request, targets: targets, options: options, environment: ProcessInfo.processInfo.environment,
                    announce: "meta-doctor: demo against the sandbox (Graph API at \(world.graph.baseURL)), scenario '\(scenario)'\n")
            } catch {
                await world.stop()
                throw error
            }
            await world.stop()
        }
    }
}
