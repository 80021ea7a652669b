/// A validated catalog: unique ids, known prerequisites, no cycle. Catalog order is the order of
/// every report.
public struct CheckGraph: Sendable {
    public let checks: [Check]
    let index: [CheckID: Int]
    /// For each check (by index), the checks that list it as a prerequisite, in catalog order.
    let dependents: [[Int]]
    /// For each check (by index), its prerequisites' indexes.
    let prerequisites: [[Int]]

    public init(_ checks: [Check]) throws(CheckGraphError) {
        var index: [CheckID: Int] = [:]
        for (position, check) in checks.enumerated() {
            guard index[check.id] == nil else { throw .duplicateID(check.id) }
            index[check.id] = position
        }
        var prerequisites: [[Int]] = []
        var dependents = Array(repeating: [Int](), count: checks.count)
        for (position, check) in checks.enumerated() {
            var own: [Int] = []
            for prerequisite in check.description.prerequisites {
                guard let upstream = index[prerequisite] else {
                    throw .unknownPrerequisite(check: check.id, prerequisite: prerequisite)
                }
                own.append(upstream)
                dependents[upstream].append(position)
            }
            prerequisites.append(own)
        }
        self.checks = checks
        self.index = index
        self.dependents = dependents
        self.prerequisites = prerequisites
        if let cycle = Self.findCycle(prerequisites: prerequisites) {
            throw .cycle(cycle.map { checks[$0].id })
        }
    }

    public var ids: [CheckID] { checks.map(\.id) }

    /// The ids matched by `patterns`, in catalog order.
    public func ids(matching patterns: [String]) -> [CheckID] {
        ids.filter { id in patterns.contains { Glob($0).matches(id.rawValue) } }
    }

    /// The positions of the checks `selection` runs: `--only` targets with their prerequisites
    /// (everything when empty), less `--skip`.
    func selected(by selection: Selection) -> Set<Int> {
        var selected = Set(checks.indices)
        if !selection.only.isEmpty {
            selected = closure(of: Set(ids(matching: selection.only).compactMap { index[$0] }))
        }
        for id in ids(matching: selection.skip) {
            if let position = index[id] { selected.remove(position) }
        }
        return selected
    }

    /// The ids of the checks `selection` runs.
    public func selectedIDs(by selection: Selection) -> Set<CheckID> { Set(selected(by: selection).map { checks[$0].id }) }

    /// `ids` and all their transitive prerequisites.
    func closure(of positions: Set<Int>) -> Set<Int> {
        var result = positions
        var stack = Array(positions)
        while let next = stack.popLast() {
            for upstream in prerequisites[next] where result.insert(upstream).inserted {
                stack.append(upstream)
            }
        }
        return result
    }

    /// Depth-first search; returns the ids on a cycle, starting and ending with the same check.
    private static func findCycle(prerequisites: [[Int]]) -> [Int]? {
        enum Mark { case unvisited, inProgress, done }
        var marks = Array(repeating: Mark.unvisited, count: prerequisites.count)
        var path: [Int] = []

        func visit(_ node: Int) -> [Int]? {
            marks[node] = .inProgress
            path.append(node)
            for upstream in prerequisites[node] {
                switch marks[upstream] {
                case .inProgress:
                    let start = path.firstIndex(of: upstream)!
                    return Array(path[start...]) + [upstream]
                case .unvisited:
                    if let cycle = visit(upstream) { return cycle }
                case .done:
                    continue
                }
            }
            path.removeLast()
            marks[node] = .done
            return nil
        }

        for node in prerequisites.indices where marks[node] == .unvisited {
            if let cycle = visit(node) { return cycle }
        }
        return nil
    }
}

/// A catalog that cannot run.
public enum CheckGraphError: Error, Equatable, CustomStringConvertible {
    case duplicateID(CheckID)
    case unknownPrerequisite(check: CheckID, prerequisite: CheckID)
    case cycle([CheckID])

    public var description: String {
        switch self {
        case .duplicateID(let id):
            "Two checks share the id '\(id)'."
        case .unknownPrerequisite(let check, let prerequisite):
            "Check '\(check)' lists the unknown prerequisite '\(prerequisite)'."
        case .cycle(let ids):
            "The check graph has a cycle: \(ids.map(\.rawValue).joined(separator: " -> "))."
        }
    }
}

/// `--only`/`--skip` patterns: `*` matches any run of characters, dots included.
public struct Glob: Sendable {
    let pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    public func matches(_ text: String) -> Bool {
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] != "*", pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let starAt = star {
                p = starAt + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

/// Which checks a run executes.
public struct Selection: Sendable, Equatable {
    /// Patterns to run (with their prerequisites); empty means all.
    public var only: [String]
    /// Patterns not to run.
    public var skip: [String]

    public init(only: [String] = [], skip: [String] = []) {
        self.only = only
        self.skip = skip
    }

    public static let all = Selection()
}
