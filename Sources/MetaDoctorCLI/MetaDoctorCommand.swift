import ArgumentParser

/// The root command: `meta-doctor init|check|discover|fix|fleet|demo|list|explain|report|graph|sandbox`.
public struct MetaDoctorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "meta-doctor",
        abstract: "Diagnose a Meta messaging integration: Messenger, the WhatsApp Cloud API and Instagram messaging.",
        discussion: """
            meta-doctor runs a graph of checks against Meta's Graph API and your own webhook, in dependency order: a \
            check whose prerequisite failed is skipped and names its blocker, so the root cause leads the report.

            Exit status: 0 nothing failed; 1 a check failed (with --strict, or warned); 2 the configuration is \
            unusable; 3 nothing failed but some checks could not verify; 64 usage error; 74 a report could not be \
            written; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
            """,
        version: MetaDoctorVersion.current,
        subcommands: [Init.self, Check.self, Discover.self, Fix.self, Fleet.self, Demo.self, List.self, Explain.self, ReportCommand.self, GraphCommand.self, Sandbox.self],
        defaultSubcommand: Check.self
    )

    public init() {}
}

extension MetaDoctorCommand {
    /// The executable's entry point.
    public static func runMain() async {
        Terminal.ignoreBrokenPipes()
        await main()
    }
}
