import DoctorKit
import DoctorTestSupport
import Foundation
import MetaDoctorCLI
import Testing

/// The binary on a pseudo-terminal of a given width (util-linux's `script`; `stty` sets the
/// width the binary reads). Standard output and error arrive together, as on a real terminal.
enum PseudoTerminal {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    static func run(_ arguments: String, columns: Int, environment: [String: String] = [:]) async throws -> String {
        let command = "stty cols \(columns) rows 60; exec \(MetaDoctorBinary.path) \(arguments)"
        return try await MetaDoctorBinary.runTool("/usr/bin/script", ["-qc", command, "/dev/null"], environment: environment).stdout
    }

    /// Text without ANSI escapes, split into the lines a terminal shows.
    static func screenLines(_ text: String) -> [String] {
        let plain = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
        // A carriage return starts the line over: what follows the last one is what shows.
        return plain.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").map { line in
            line.components(separatedBy: "\r").last ?? line
        }
    }
}

extension SandboxRuns {
    @Suite("On a terminal", .enabled(if: PseudoTerminal.available, "needs util-linux's script for a pseudo-terminal"), .timeLimit(.minutes(2)))
    struct TerminalTests {
        static let clear = "\r\u{1B}[2K"

        @Test("The progress line fits the width, shows done/total and the check it waits on, and is cleared before the report", arguments: [80, 120])
        func progressLine(columns: Int) async throws {
            // debug_token never answers: the token checks wait until the run's time limit, long
            // enough for the once-a-second redraw to name the one waited on with its seconds.
            let output = try await PseudoTerminal.run("demo --scenario graph-hang --timeout 3 --no-color", columns: columns)
            let report = try #require(output.range(of: "meta-doctor \(MetaDoctorVersion.current) — "))
            let progress = String(output[..<report.lowerBound])
            #expect(progress.hasSuffix(Self.clear), "the line is cleared right before the report")
            let draws = progress.components(separatedBy: Self.clear).dropFirst().map { $0.replacingOccurrences(of: "\r", with: "") }
                .filter { !$0.isEmpty }
            #expect(!draws.isEmpty)
            for draw in draws {
                #expect(draw.count < columns, "never wraps: \(draw)")
                #expect(draw.range(of: #"^\d+/\d+( · (running \S+|waiting on \S+ \d+ s))?$"#, options: .regularExpression) != nil, "\(draw)")
            }
            #expect(draws.contains { $0.range(of: #"^\d+/22 · waiting on \S+ [12] s$"#, options: .regularExpression) != nil })
        }

        @Test("The report wraps to the width with a hanging indent and ends with the recap", arguments: [80, 120])
        func wrappingAndRecap(columns: Int) async throws {
            let output = try await PseudoTerminal.run("demo --no-color", columns: columns)
            let lines = PseudoTerminal.screenLines(output).drop { !$0.hasPrefix("meta-doctor \(MetaDoctorVersion.current) — ") }
            #expect(lines.count > 20)
            // Only a word longer than the line (a guide URL) may pass the width, alone on its line.
            for line in lines where line.count > columns {
                #expect(!line.trimmingCharacters(in: .whitespaces).contains(" "), "wider than \(columns): \(line)")
            }
            let rows = Array(lines)
            // A check's message continues under the message column, not under the mark.
            let tokenRow = try #require(rows.firstIndex { $0.hasPrefix("  ✗ whatsapp.token") })
            let row = rows[tokenRow]
            let messageColumn = row.distance(from: row.startIndex, to: try #require(row.range(of: "System user")).lowerBound)
            let continuation = rows[tokenRow + 1]
            #expect(continuation.prefix(while: { $0 == " " }).count == messageColumn, "\(continuation)")
            let nonEmpty = rows.filter { !$0.isEmpty }
            #expect(nonEmpty.last == "Exit 1: a check failed.")
            let recap = nonEmpty.suffix(3).joined(separator: " ")
            #expect(recap.contains("1 to fix: whatsapp.token (step 8)."))
            #expect(recap.contains("1 warning: messenger.page-token (step 5). See Fix first above."))
        }

        @Test("TERM=dumb turns off the progress line and colour; an empty NO_COLOR does not turn off colour")
        func dumbTerminal() async throws {
            let dumb = try await PseudoTerminal.run("demo --scenario healthy", columns: 80, environment: ["TERM": "dumb"])
            #expect(!dumb.contains(Self.clear) && !dumb.contains("\u{1B}["))
            let emptyNoColor = try await PseudoTerminal.run("demo --scenario healthy", columns: 80, environment: ["NO_COLOR": "", "TERM": "xterm"])
            #expect(emptyNoColor.contains("\u{1B}[32m✓"), "NO_COLOR counts only when set and not empty")
            let noColor = try await PseudoTerminal.run("demo --scenario healthy", columns: 80, environment: ["NO_COLOR": "1", "TERM": "xterm"])
            #expect(!noColor.contains("\u{1B}[32m"))
        }
    }
}

extension SandboxRuns.TerminalTests {
    @Test("After a resize (SIGWINCH) the progress line is redrawn to the new width")
    func redrawnOnResize() async throws {
        // debug_token never answers, so the run lasts until --timeout: the terminal narrows from
        // 100 to 30 columns while the line is being redrawn.
        let binary = MetaDoctorBinary.path
        let command = """
            stty cols 100 rows 40; \(binary) demo --scenario graph-hang --timeout 5 --no-color & pid=$!; \
            sleep 2; stty cols 30; kill -WINCH $pid; wait $pid
            """
        let output = try await MetaDoctorBinary.runTool("/usr/bin/script", ["-qc", command, "/dev/null"]).stdout
        let marker = "meta-doctor \(MetaDoctorVersion.current) — "
        let progress = String(output[..<(output.range(of: marker)?.lowerBound ?? output.endIndex)])
        let draws = progress.components(separatedBy: Self.clear).dropFirst().map { $0.replacingOccurrences(of: "\r", with: "") }
            .filter { !$0.isEmpty }
        #expect(draws.contains { $0.count > 30 }, "before the resize the line used the wider terminal")
        // The first line cut at the new width marks the resize; no later line is wider.
        let firstCut = try #require(draws.firstIndex { $0.count == 29 && $0.hasSuffix("…") }, "a redraw cut to 30 columns")
        for draw in draws[firstCut...] { #expect(draw.count <= 29, "after the resize: \(draw)") }
    }
}
