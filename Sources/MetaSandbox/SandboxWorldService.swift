#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import ServiceLifecycle
import UnixSignals

/// A scenario's world as a service: it starts when its service group runs it and stops on the
/// group's graceful shutdown.
struct SandboxWorldService: Service {
    let scenario: SandboxScenario
    let graphPort: Int
    /// Called once the world listens.
    let onStart: @Sendable (SandboxWorld) -> Void

    func run() async throws {
        let world = try await SandboxWorld.start(scenario: scenario, graphPort: graphPort)
        onStart(world)
        // Returns on graceful shutdown, throws on cancellation: the world stops either way.
        try? await gracefulShutdown()
        await world.stop()
    }
}

extension SandboxWorld {
    /// Runs a scenario's world until SIGTERM or SIGINT shuts it down gracefully, in a service group
    /// as Hummingbird's `Application.runService()` runs an application; `onStart` gets the world
    /// once it listens.
    public static func serve(
        scenario: SandboxScenario, graphPort: Int = 0, onStart: @escaping @Sendable (SandboxWorld) -> Void
    ) async throws {
        let service = SandboxWorldService(scenario: scenario, graphPort: graphPort, onStart: onStart)
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: quietLogger))
        // The group hears signals through Dispatch signal sources, which do not stop a signal's
        // default action (ending the process): it must be off, as Dispatch asks. UnixSignals turns
        // it off on Darwin alone; on Linux a SIGTERM from a shell could end the process unheard.
        for number in [SIGTERM, SIGINT] { signal(number, SIG_IGN) }
        defer { for number in [SIGTERM, SIGINT] { signal(number, SIG_DFL) } }
        try await group.run()
    }
}

/// A generated fleet's Graph API as a service, as `SandboxWorldService` serves one scenario.
struct SandboxFleetService: Service {
    let fleet: SandboxFleet
    let throttle: SandboxThrottle?
    let graphPort: Int
    let onStart: @Sendable (GraphSandbox) async throws -> Void
    let onStop: @Sendable () -> Void

    func run() async throws {
        let sandbox = try await GraphSandbox.start(model: fleet.model, throttle: throttle, port: graphPort)
        do { try await onStart(sandbox) } catch {
            await sandbox.stop()
            throw error
        }
        try? await gracefulShutdown()
        await sandbox.stop()
        onStop()
    }
}

extension GraphSandbox {
    /// Serves a fleet's Graph API until SIGTERM or SIGINT (`meta-doctor sandbox --fleet N`); `onStart`
    /// gets it once it listens, `onStop` runs after it stopped.
    public static func serve(
        fleet: SandboxFleet, throttle: SandboxThrottle?, graphPort: Int = 0, onStart: @escaping @Sendable (GraphSandbox) async throws -> Void,
        onStop: @escaping @Sendable () -> Void
    ) async throws {
        let service = SandboxFleetService(fleet: fleet, throttle: throttle, graphPort: graphPort, onStart: onStart, onStop: onStop)
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: quietLogger))
        for number in [SIGTERM, SIGINT] { signal(number, SIG_IGN) }
        defer { for number in [SIGTERM, SIGINT] { signal(number, SIG_DFL) } }
        try await group.run()
    }
}
