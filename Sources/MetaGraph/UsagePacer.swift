import DoctorKit
import Foundation
import Synchronization

/// One subject's usage in Meta's rate-limit headers (docs/meta-behaviour.md MB-G40, MB-G41): the
/// app (`X-App-Usage`), a business object (`X-Business-Use-Case-Usage`, keyed by its id) or a Page
/// (`X-Page-Usage`, legacy).
public struct UsageReading: Sendable, Equatable {
    /// "app:<app-id>" or "object:<id>".
    public var subject: String
    /// The highest of call_count, total_cputime and total_time: a percentage, throttled at 100.
    public var percent: Int
    /// `estimated_time_to_regain_access` in minutes (business use-case usage only), clamped.
    public var minutesToRegainAccess: Int

    public init(subject: String, percent: Int, minutesToRegainAccess: Int = 0) {
        self.subject = subject
        self.percent = percent
        self.minutesToRegainAccess = minutesToRegainAccess
    }

    /// The readings of one reply's headers. `appID` names the app of `X-App-Usage`; `object` the
    /// request's first path component, whom `X-Page-Usage` describes. Values that are not the
    /// documented JSON are ignored; numbers are clamped to 0...1000 (GraphNumbers).
    public static func readings(appUsage: String?, businessUseCaseUsage: String?, pageUsage: String?, appID: String?, object: String?)
        -> [UsageReading]
    {
        var readings: [UsageReading] = []
        if let appID, let percent = percentages(appUsage) {
            readings.append(UsageReading(subject: "app:\(appID)", percent: percent))
        }
        if let object, let percent = percentages(pageUsage) {
            readings.append(UsageReading(subject: "object:\(object)", percent: percent))
        }
        if let header = businessUseCaseUsage, let data = header.data(using: .utf8),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            // At most 32 objects per reply (MB-G41); more is not Meta's shape and is cut.
            for (id, value) in root.sorted(by: { $0.key < $1.key }).prefix(32) {
                guard id.allSatisfy({ $0.isASCII && $0.isNumber }), !id.isEmpty, let entries = value as? [Any] else { continue }
                let objects = entries.compactMap { $0 as? [String: Any] }
                let percent = objects.compactMap(Self.percent).max()
                let minutes = objects.compactMap { $0["estimated_time_to_regain_access"] }.compactMap(GraphNumbers.number).max()
                guard let percent else { continue }
                readings.append(
                    UsageReading(
                        subject: "object:\(id)", percent: percent,
                        minutesToRegainAccess: minutes.map { GraphNumbers.clamp($0, 0, Double(GraphNumbers.maxMinutesToRegainAccess)) } ?? 0))
            }
        }
        return readings
    }

    private static func percentages(_ header: String?) -> Int? {
        guard let header, let data = header.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return percent(object)
    }

    private static func percent(_ object: [String: Any]) -> Int? {
        let values = ["call_count", "total_cputime", "total_time"].compactMap { object[$0] }.compactMap(GraphNumbers.number)
        return values.max().map { GraphNumbers.clamp($0, 0, 1000) }
    }
}

/// Paces the Graph requests of a whole fleet run by Meta's usage headers (MB-G40, MB-G41): every
/// reply's readings are kept per subject (the app, each business object); a new request of a
/// subject above `slowAbove` % waits a backoff that grows towards 100 %, and one of a throttled
/// subject (100 %, a regain time, or a throttle error) is not sent until access returns. A wait
/// that would pass the caller's deadline is not waited: the request ends at once as a rate limit,
/// which the checks report as "could not verify".
public final class UsagePacer: Sendable {
    public struct Policy: Sendable {
        /// Requests of a subject above this percentage are slowed.
        public var slowAbove: Int
        /// The wait before a request at 100 %; at `slowAbove` it is zero, linear in between.
        public var slowdown: Duration
        /// How long a subject stays blocked after a throttle that names no regain time (X-App-Usage
        /// has none, MB-G21): not documented, chosen as a minute.
        public var throttleBackoff: Duration

        public init(slowAbove: Int = 80, slowdown: Duration = .seconds(2), throttleBackoff: Duration = .seconds(60)) {
            self.slowAbove = slowAbove
            self.slowdown = slowdown
            self.throttleBackoff = throttleBackoff
        }
    }

    private struct SubjectState {
        var percent = 0
        var blockedUntil: ContinuousClock.Instant?
        var minutesToRegainAccess = 0
    }

    private struct State {
        var subjects: [String: SubjectState] = [:]
        /// Request objects whose usage Meta reports under another id (a phone number under its WABA).
        var reportedAs: [String: Set<String>] = [:]
        var waits = 0
        var waited: Duration = .zero
        var refused = 0
    }

    public let policy: Policy
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private let state = Mutex(State())

    public init(
        policy: Policy = Policy(), now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.policy = policy
        self.now = now
        self.sleep = sleep
    }

    /// What the pacer did so far: requests delayed, their total wait, requests not sent.
    public var statistics: (waits: Int, waited: Duration, refused: Int) {
        state.withLock { ($0.waits, $0.waited, $0.refused) }
    }

    /// The subjects of a request: its app, and the object its path starts with (and whatever Meta
    /// reported that object's usage under).
    public func subjects(appID: String?, object: String?) -> [String] {
        var subjects: [String] = appID.map { ["app:\($0)"] } ?? []
        if let object {
            subjects.append("object:\(object)")
            subjects += state.withLock { $0.reportedAs[object] ?? [] }.sorted().map { "object:\($0)" }
        }
        return subjects
    }

    /// Waits as the subjects' usage says, or throws the rate limit when the wait would pass `deadline`.
    public func admit(_ subjects: [String], endpoint: String, by deadline: ContinuousClock.Instant?) async throws(GraphError) {
        let start = now()
        let (wait, reason) = state.withLock { state -> (Duration, String?) in
            var longest = Duration.zero
            var reason: String?
            for subject in subjects {
                guard let usage = state.subjects[subject] else { continue }
                var wait = Duration.zero
                var why: String
                if let until = usage.blockedUntil, until > start {
                    wait = start.duration(to: until)
                    why = "Meta throttled \(Self.describe(subject))"
                    if usage.minutesToRegainAccess > 0 { why += "; access returns in about \(usage.minutesToRegainAccess) min" }
                } else if usage.percent > policy.slowAbove {
                    let share = Double(min(usage.percent, 100) - policy.slowAbove) / Double(max(1, 100 - policy.slowAbove))
                    wait = policy.slowdown * share
                    why = "Meta's usage headers put \(Self.describe(subject)) at \(usage.percent) %"
                } else {
                    continue
                }
                if wait > longest {
                    longest = wait
                    reason = why
                }
            }
            return (longest, reason)
        }
        guard wait > .zero, let reason else { return }
        if let deadline, start.advanced(by: wait) >= deadline.advanced(by: .milliseconds(-100)) {
            state.withLock { $0.refused += 1 }
            throw GraphError(
                kind: .rateLimited,
                message: "\(reason); the request was not sent, as waiting \(wait.secondsText) would pass the integration's deadline.",
                endpoint: endpoint, attempts: 0)
        }
        state.withLock { state in
            state.waits += 1
            state.waited += wait
        }
        do { try await sleep(wait) } catch {
            throw GraphError(kind: .network, message: "Cancelled while waiting for Meta's rate limit (\(reason)).", endpoint: endpoint, attempts: 0)
        }
    }

    /// Keeps a reply's readings. A throttle error (`throttled`) blocks the request's subjects that
    /// reported no regain time for `throttleBackoff`; a reading at 100 % or with a regain time blocks
    /// its subject until then.
    public func observe(_ readings: [UsageReading], requestSubjects: [String], object: String?, throttled: Bool) {
        let at = now()
        state.withLock { state in
            for reading in readings {
                if let object, reading.subject.hasPrefix("object:"), reading.subject != "object:\(object)" {
                    state.reportedAs[object, default: []].insert(String(reading.subject.dropFirst("object:".count)))
                }
                var usage = state.subjects[reading.subject] ?? SubjectState()
                usage.percent = reading.percent
                usage.minutesToRegainAccess = reading.minutesToRegainAccess
                if reading.minutesToRegainAccess > 0 {
                    usage.blockedUntil = at.advanced(by: .seconds(reading.minutesToRegainAccess * 60))
                } else if reading.percent >= 100 || (throttled && reading.subject.hasPrefix("app:")) {
                    usage.blockedUntil = max(usage.blockedUntil ?? at, at.advanced(by: policy.throttleBackoff))
                }
                // A subject at or below `slowAbove` and not blocked waits nothing, as one never read:
                // forgetting it keeps the pacer's memory to the subjects that slow a request, not one
                // entry for every object of the fleet.
                let matters = usage.percent > policy.slowAbove || usage.blockedUntil.map { $0 > at } == true
                state.subjects[reading.subject] = matters ? usage : nil
            }
            guard throttled, readings.isEmpty else { return }
            for subject in requestSubjects {
                var usage = state.subjects[subject] ?? SubjectState()
                usage.blockedUntil = max(usage.blockedUntil ?? at, at.advanced(by: policy.throttleBackoff))
                state.subjects[subject] = usage
            }
        }
    }

    static func describe(_ subject: String) -> String {
        if subject.hasPrefix("app:") { return "the app \(subject.dropFirst(4))" }
        return "the object \(subject.dropFirst(7))"
    }
}
