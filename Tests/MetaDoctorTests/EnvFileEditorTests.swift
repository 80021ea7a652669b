@testable import MetaDoctorCLI
import Testing

/// How `fix --apply --write-env` changes one `.env` line: the value only, everything around it kept.
@Suite("A .env line rewritten by fix")
struct EnvFileEditorTests {
    @Test(
        "The value changes; export, quotes, a comment and a carriage return stay; another name or an unclosed quote is not touched",
        arguments: [
            ("A=1", "A=2"),
            ("  export A=1 # the old one", "  export A=2 # the old one"),
            ("A=1\t# after a tab", "A=2 # after a tab"),
            ("A = 1", "A=2"),
            (#"A="1" # quoted"#, #"A="2" # quoted"#),
            ("A='1'", "A='2'"),
            ("A=1\r", "A=2\r"),
            (#"A="first line"#, nil),
            ("B=1", nil),
            ("AB=1", nil),
        ] as [(String, String?)])
    func rewrite(line: String, expected: String?) {
        #expect(EnvFileEditor.rewrite(line, name: "A", to: "2") == expected)
    }
}
