import ArgumentParser
import Foundation
import MetaSandbox

extension MetaDoctorCommand {
    /// `meta-doctor sandbox`: run the sandbox in the foreground to try every flag by hand.
    public struct Sandbox: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run the sandbox in the foreground and print a .env that points `check` at it.",
            discussion: """
                With --fleet N it serves a generated world of N integrations instead (over 3 apps, a twentieth \
                broken in each of 4 known ways, with Meta's rate limits), writes its manifest and secret files \
                (mode 0600) into --fleet-dir and prints the `meta-doctor fleet` command that checks it. \
                --fleet-share WAY=PERCENT chooses how many are broken each way instead (the ways: \
                \(SandboxFleet.Breakage.allCases.map(\.rawValue).joined(separator: ", "))); a way not named is then \
                not broken at all.
                """)

        @Option(help: ArgumentHelp("The sandbox scenario.", valueName: "name")) var scenario: String = "healthy"
        @Option(help: ArgumentHelp("The port (0 picks a free one).", valueName: "port")) var port: Int = 0
        @Option(help: ArgumentHelp("Serve a generated fleet of this many integrations (1 to 100000).", valueName: "n")) var fleet: Int?
        @Option(help: ArgumentHelp("Where --fleet writes manifest.jsonl and its secrets/ (removed again on exit).", valueName: "dir"))
        var fleetDir: String = "sandbox-fleet"
        @Option(
            help: ArgumentHelp(
                "With --fleet: the percentage of integrations broken one way, WAY=PERCENT (repeatable).", valueName: "way=percent"))
        var fleetShare: [String] = []

        public init() {}

        /// `--fleet-share` as the generator's fractions, or nil for its default mix.
        func fleetShares() throws(ValidationError) -> [SandboxFleet.Breakage: Double]? {
            guard !fleetShare.isEmpty else { return nil }
            var shares: [SandboxFleet.Breakage: Double] = [:]
            for argument in fleetShare {
                let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let way = SandboxFleet.Breakage(rawValue: parts[0]) else {
                    throw ValidationError(
                        "--fleet-share '\(argument)': expected WAY=PERCENT, WAY one of \(SandboxFleet.Breakage.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                guard let percent = Double(parts[1]), (0...100).contains(percent) else {
                    throw ValidationError("--fleet-share '\(argument)': the percentage must be a number from 0 to 100.")
                }
                guard shares[way] == nil else { throw ValidationError("--fleet-share names \(way.rawValue) twice.") }
                shares[way] = percent / 100
            }
            guard shares.values.reduce(0, +) <= 1 else { throw ValidationError("--fleet-share: the percentages add up to more than 100.") }
            return shares
        }

        public func validate() throws {
            guard SandboxScenarios.named(scenario) != nil else {
                throw ValidationError("Unknown scenario '\(scenario)'; `meta-doctor demo --list-scenarios` lists them.")
            }
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535.") }
            if let fleet, !(1...100_000).contains(fleet) { throw ValidationError("--fleet must be 1 to 100000.") }
            if fleet == nil, !fleetShare.isEmpty { throw ValidationError("--fleet-share needs --fleet.") }
            _ = try fleetShares()
        }

        public func run() async throws {
            if let size = fleet {
                try await serveFleet(size: size)
                return
            }
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

        /// The fleet's Graph API (no webhook backend: its manifest names no webhook URL, so the
        /// webhook checks do not apply) until Ctrl-C; its files are removed on the way out.
        private func serveFleet(size: Int) async throws {
            let world = try fleetShares().map { SandboxFleet(size: size, shares: $0) } ?? SandboxFleet(size: size)
            let directory = fleetDir
            try await GraphSandbox.serve(fleet: world, throttle: world.realisticThrottle, graphPort: port) { sandbox in
                let manifest = try FleetManifestWriter.write(world, graphURL: sandbox.baseURL, to: directory)
                Terminal.writeErr(
                    "meta-doctor: sandbox fleet of \(size) integrations over \(world.appCount) apps: Graph API at \(sandbox.baseURL); Ctrl-C stops it.\n")
                Terminal.writeErr("meta-doctor: run:\n  meta-doctor fleet \(manifest) > fleet.ndjson\n")
                Terminal.writeOut(manifest + "\n")
            } onStop: {
                let files = FileManager.default
                try? files.removeItem(atPath: (directory as NSString).appendingPathComponent("secrets"))
                try? files.removeItem(atPath: (directory as NSString).appendingPathComponent(FleetManifestWriter.manifestName))
            }
        }
    }
}
