import DoctorKit
import DoctorTestSupport
import Testing

/// A check for graph tests: its guide step and texts are placeholders; only the probe matters.
func makeCheck(
    _ id: CheckID, after prerequisites: [CheckID] = [], platform: String? = nil,
    probe: @escaping @Sendable (CheckContext) async throws -> ProbeResult = { _ in .pass("ok") }
) -> Check {
    Check(
        CheckDescription(
            id: id, title: "Check \(id)", platform: platform, prerequisites: prerequisites,
            guideStep: GuideStep(anchor: "step-\(id.rawValue)", title: "Step"), summary: "Test check.",
            remediation: "Fix \(id)."),
        probe: probe)
}

func run(
    _ checks: [Check], selection: Selection = .all, maxConcurrency: Int = 8, checkTimeout: Duration = .seconds(20),
    runTimeout: Duration = .seconds(30), notApplicable: @escaping @Sendable (CheckDescription) -> String? = { _ in nil }
) async throws -> [CheckID: CheckResult] {
    let graph = try CheckGraph(checks)
    let runner = Runner(
        graph: graph,
        options: .init(
            maxConcurrency: maxConcurrency, checkTimeout: checkTimeout, runTimeout: runTimeout, selection: selection,
            notApplicable: notApplicable),
        clock: ContinuousClock())
    let result = await runner.run()
    #expect(result.results.map(\.id) == checks.map(\.id), "every catalog check is reported, in catalog order")
    return Dictionary(uniqueKeysWithValues: result.results.map { ($0.id, $0) })
}

@Suite("The runner executes the check graph")
struct RunnerTests {
    @Test("A chain runs in dependency order and hands facts down")
    func chainRunsInOrderWithFacts() async throws {
        enum Token: FactKey { typealias Value = String }
        let order = InFlightCounter()
        let results = try await run([
            makeCheck("a") { _ in
                await order.enter()
                return .pass("a", facts: Facts().with(Token.self, "from-a"))
            },
            makeCheck("b", after: ["a"]) { context in
                #expect(await order.current == 1, "a finished before b started")
                return .pass("b saw \(context.facts[Token.self] ?? "nothing")")
            },
            makeCheck("c", after: ["b"]) { context in .pass("c saw \(context.facts[Token.self] ?? "nothing")") },
        ])
        #expect(results["a"]?.status == .pass)
        #expect(results["b"]?.message == "b saw from-a")
        #expect(results["c"]?.message == "c saw from-a", "facts flow to every downstream check")
    }

    @Test("Independent checks of a diamond overlap", .timeLimit(.minutes(1)))
    func diamondOverlaps() async throws {
        let barrier = Barrier(count: 2)
        let results = try await run([
            makeCheck("top"),
            makeCheck("left", after: ["top"]) { _ in
                await barrier.arriveAndWait()
                return .pass("left")
            },
            makeCheck("right", after: ["top"]) { _ in
                await barrier.arriveAndWait()
                return .pass("right")
            },
            makeCheck("bottom", after: ["left", "right"]),
        ])
        #expect(await barrier.maxArrived == 2, "left and right were in flight together")
        #expect(results["bottom"]?.status == .pass)
    }

    @Test("Concurrency is bounded by maxConcurrency", .timeLimit(.minutes(1)))
    func concurrencyIsBounded() async throws {
        let counter = InFlightCounter()
        let checks = (1...6).map { index in
            makeCheck(CheckID("leaf\(index)")) { _ in
                await counter.enter()
                try await Task.sleep(for: .milliseconds(20))
                await counter.leave()
                return .pass("done")
            }
        }
        _ = try await run(checks, maxConcurrency: 2)
        #expect(await counter.maximum <= 2)
    }

    @Test("A dependent starts as soon as its own prerequisites end, not level by level", .timeLimit(.minutes(1)))
    func dependentsDoNotWaitForTheLevel() async throws {
        // slow is on level 1 and waits until fastChild (level 2) has run: level-by-level would deadlock.
        let fastChildRan = Barrier(count: 2)
        let results = try await run([
            makeCheck("slow") { _ in
                await fastChildRan.arriveAndWait()
                return .pass("slow")
            },
            makeCheck("fast"),
            makeCheck("fast-child", after: ["fast"]) { _ in
                await fastChildRan.arriveAndWait()
                return .pass("fast-child")
            },
        ])
        #expect(results["slow"]?.status == .pass)
        #expect(results["fast-child"]?.status == .pass)
    }

    @Test("Blocked checks name the nearest failed or errored checks, through several levels")
    func blockedByNamesRootCauses() async throws {
        let results = try await run([
            makeCheck("root"),
            makeCheck("broken", after: ["root"]) { _ in .fail("broken") },
            makeCheck("unverified", after: ["root"]) { _ in .error("network down") },
            makeCheck("level1", after: ["broken"]),
            makeCheck("level2", after: ["level1"]),
            makeCheck("level3", after: ["level2", "unverified"]),
            makeCheck("healthy", after: ["root"]),
        ])
        #expect(results["level1"]?.status == .skip)
        #expect(results["level1"]?.skipReason == .blocked)
        #expect(results["level1"]?.blockedBy == ["broken"])
        #expect(results["level2"]?.blockedBy == ["broken"], "an intermediate skip is not a root cause")
        #expect(results["level3"]?.blockedBy == ["broken", "unverified"], "root causes in catalog order")
        #expect(results["healthy"]?.status == .pass)
    }

    @Test("A not-applicable prerequisite lets its dependents run")
    func notApplicableDoesNotBlock() async throws {
        let results = try await run([
            makeCheck("optional") { _ in .notApplicable("no tunnel configured") },
            makeCheck("dependent", after: ["optional"]),
        ])
        #expect(results["optional"]?.status == .skip)
        #expect(results["optional"]?.skipReason == .notApplicable)
        #expect(results["dependent"]?.status == .pass)
    }

    @Test("Checks of a disabled platform are not applicable, decided before they run")
    func platformNotApplicable() async throws {
        let results = try await run(
            [makeCheck("general"), makeCheck("wa.token", after: ["general"], platform: "whatsapp") { _ in .fail("must not run") }],
            notApplicable: { $0.platform == "whatsapp" ? "WhatsApp is not configured." : nil })
        #expect(results["wa.token"]?.skipReason == .notApplicable)
        #expect(results["wa.token"]?.message == "WhatsApp is not configured.")
    }

    @Test("--skip makes a check and its dependents not selected; --only pulls in prerequisites")
    func selection() async throws {
        let checks = [
            makeCheck("config"), makeCheck("app.secret", after: ["config"]),
            makeCheck("webhook.messenger.https", after: ["config"]),
            makeCheck("webhook.messenger.verify", after: ["webhook.messenger.https"]),
        ]
        let skipped = try await run(checks, selection: Selection(skip: ["webhook.messenger.https"]))
        #expect(skipped["webhook.messenger.https"]?.skipReason == .notSelected)
        #expect(skipped["webhook.messenger.verify"]?.skipReason == .notSelected)
        #expect(skipped["app.secret"]?.status == .pass)

        let only = try await run(checks, selection: Selection(only: ["webhook.*.verify"]))
        #expect(only["webhook.messenger.verify"]?.status == .pass)
        #expect(only["webhook.messenger.https"]?.status == .pass, "prerequisites are pulled in")
        #expect(only["config"]?.status == .pass)
        #expect(only["app.secret"]?.skipReason == .notSelected)
    }

    @Test("A probe that never returns ends as an error at its deadline", .timeLimit(.minutes(1)))
    func hangingProbeTimesOut() async throws {
        let results = try await run(
            [
                makeCheck("hangs") { _ in
                    // Ignores cancellation entirely: the runner must not wait for it.
                    await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
                    return .pass("unreachable")
                },
                makeCheck("after", after: ["hangs"]),
                makeCheck("independent"),
            ], checkTimeout: .milliseconds(200))
        #expect(results["hangs"]?.status == .error)
        #expect(results["hangs"]?.message.contains("Timed out after 200 ms") == true)
        #expect(results["after"]?.blockedBy == ["hangs"])
        #expect(results["independent"]?.status == .pass)
    }

    @Test("The run's deadline ends what is still running and what has not started", .timeLimit(.minutes(1)))
    func runDeadline() async throws {
        let results = try await run(
            [
                makeCheck("slow") { _ in
                    try await Task.sleep(for: .seconds(3600))
                    return .pass("unreachable")
                },
                makeCheck("after", after: ["slow"]),
            ], checkTimeout: .seconds(3600), runTimeout: .milliseconds(200))
        #expect(results["slow"]?.status == .error)
        #expect(results["slow"]?.message.contains("the run's time limit") == true)
        #expect(results["after"]?.skipReason == .blocked)
    }

    @Test("A probe that throws becomes an error with the message; the run goes on")
    func throwingProbe() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let results = try await run([makeCheck("throws") { _ in throw Boom() }, makeCheck("other")])
        #expect(results["throws"]?.status == .error)
        #expect(results["throws"]?.message.contains("boom") == true)
        #expect(results["other"]?.status == .pass)
    }

    @Test("Cancelling the run (Ctrl-C) marks it interrupted", .timeLimit(.minutes(1)))
    func cancellation() async throws {
        let started = Barrier(count: 2)
        let graph = try CheckGraph([
            makeCheck("waits") { _ in
                await started.arriveAndWait()
                try await Task.sleep(for: .seconds(3600))
                return .pass("unreachable")
            },
            makeCheck("after", after: ["waits"]),
        ])
        let task = Task { await Runner(graph: graph, clock: ContinuousClock()).run() }
        await started.arriveAndWait()
        task.cancel()
        let result = await task.value
        #expect(result.interrupted)
        #expect(result.results[0].status == .error)
        #expect(result.results[1].skipReason == .blocked)
    }
}

@Suite("The check graph is validated before a run")
struct CheckGraphTests {
    @Test("A cycle is an error naming its checks")
    func cycle() {
        #expect(throws: CheckGraphError.cycle(["a", "c", "b", "a"])) {
            try CheckGraph([makeCheck("a", after: ["c"]), makeCheck("b", after: ["a"]), makeCheck("c", after: ["b"])])
        }
    }

    @Test("An unknown prerequisite is an error naming both ids")
    func unknownPrerequisite() {
        #expect(throws: CheckGraphError.unknownPrerequisite(check: "b", prerequisite: "missing")) {
            try CheckGraph([makeCheck("a"), makeCheck("b", after: ["missing"])])
        }
        let message = CheckGraphError.unknownPrerequisite(check: "b", prerequisite: "missing").description
        #expect(message.contains("'b'") && message.contains("'missing'"))
    }

    @Test("Duplicate ids are an error")
    func duplicate() {
        #expect(throws: CheckGraphError.duplicateID("a")) { try CheckGraph([makeCheck("a"), makeCheck("a")]) }
    }

    @Test(
        "Globs match ids; * spans dots",
        arguments: [
            ("webhook.*", "webhook.messenger.verify", true), ("webhook.*", "webhooks", false),
            ("*.verify", "webhook.whatsapp.verify", true), ("app.secret", "app.secret", true),
            ("app.secret", "app.secrets", false), ("*", "config", true), ("w*p*", "whatsapp", true),
        ])
    func glob(pattern: String, id: String, matches: Bool) {
        #expect(Glob(pattern).matches(id) == matches)
    }
}
