import DoctorKit

/// Options that change how a report reads, never what it says.
public struct RenderOptions: Sendable {
    /// ANSI colour (only on a TTY, never with NO_COLOR or --no-color).
    public var color: Bool
    /// Show timings and evidence.
    public var verbose: Bool
    /// The terminal's width, to wrap text to; nil (files, pipes) does not wrap.
    public var width: Int?

    public init(color: Bool = false, verbose: Bool = false, width: Int? = nil) {
        self.color = color
        self.verbose = verbose
        self.width = width
    }
}

/// One report format: a pure function of the report.
public protocol ReportRenderer {
    /// The name `--format` takes.
    static var identifier: String { get }
    static func render(_ report: Report, options: RenderOptions) -> String
}

/// The formats `--format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case human
    case json
    case junit
    case markdown
    case github

    public func render(_ report: Report, options: RenderOptions = RenderOptions()) -> String {
        renderer.render(report, options: options)
    }

    var renderer: any ReportRenderer.Type {
        switch self {
        case .human: HumanRenderer.self
        case .json: JSONRenderer.self
        case .junit: JUnitRenderer.self
        case .markdown: MarkdownRenderer.self
        case .github: GitHubRenderer.self
        }
    }
}
