/// The status a check ends with.
public enum CheckStatus: String, Sendable, Codable, CaseIterable {
    /// Verified and correct.
    case pass
    /// Works, but something will break or is risky.
    case warn
    /// Verified and misconfigured.
    case fail
    /// Could not verify (network failure, rate limit, timeout, a probe that threw).
    case error
    /// Not run; `SkipReason` says why.
    case skip
}

/// Why a check was not run.
public enum SkipReason: String, Sendable, Codable, CaseIterable {
    /// A prerequisite ended `fail` or `error`.
    case blocked
    /// The check does not apply to this configuration (a disabled platform, no webhook URL).
    case notApplicable = "not-applicable"
    /// Excluded by `--only`/`--skip`.
    case notSelected = "not-selected"
}

/// What a probe concludes. `skip` is only ever `not-applicable` from a probe: blocked and
/// not-selected are the runner's decisions.
public enum Verdict: Sendable, Equatable {
    case pass
    case warn
    case fail
    case error
    case notApplicable

    var status: CheckStatus {
        switch self {
        case .pass: .pass
        case .warn: .warn
        case .fail: .fail
        case .error: .error
        case .notApplicable: .skip
        }
    }
}
