import Foundation
import Testing

/// docs/AUDIT.md's console blocks marked `<!-- audit-run -->` are run in order, in one bash session,
/// in a workspace set up as the walkthrough's setup block does it; each command's output (stdout and
/// stderr) must be the output the document shows. Blocks marked `<!-- audit-file: NAME -->` are
/// written to NAME first.
@Suite struct AuditDocTests {
    static let document = AuditRepo.root + "/docs/AUDIT.md"

    struct Command {
        let line: String
        let expected: String
    }

    /// The marked blocks of the document: the commands to run and the files to write.
    static func parse(_ text: String) throws -> (commands: [Command], files: [String: String]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [(String, [String])] = []
        var files: [String: String] = [:]
        var i = 0
        while i < lines.count {
            let marker = lines[i]
            let isRun = marker == "<!-- audit-run -->"
            let fileName = marker.hasPrefix("<!-- audit-file: ") && marker.hasSuffix(" -->")
                ? String(marker.dropFirst("<!-- audit-file: ".count).dropLast(" -->".count)) : nil
            guard isRun || fileName != nil else { i += 1; continue }
            try #require(i + 1 < lines.count && lines[i + 1].hasPrefix("```"), "a code block must follow line \(i + 1)")
            var body: [String] = []
            i += 2
            while i < lines.count && lines[i] != "```" { body.append(lines[i]); i += 1 }
            i += 1
            if let fileName {
                files[fileName] = body.map { $0 + "\n" }.joined()
                continue
            }
            for line in body {
                if line.hasPrefix("$ ") {
                    commands.append((String(line.dropFirst(2)), []))
                } else {
                    try #require(!commands.isEmpty, "output before the first command: \(line)")
                    commands[commands.count - 1].1.append(line)
                }
            }
        }
        return (commands.map { Command(line: $0.0, expected: $0.1.joined(separator: "\n")) }, files)
    }

    static func trimmed(_ s: Substring) -> String {
        var s = s
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }

    @Test func walkthroughCommandsPrintWhatTheDocumentShows() throws {
        let (commands, files) = try Self.parse(try AuditFiles.text(Self.document))
        try #require(commands.count >= 40, "expected the walkthrough's commands, found \(commands.count)")
        #expect(files["root.py"] != nil)
        let binary = try #require(AuditRepo.binary, "no claimledger binary: build it with `swift build --product claimledger`")
        try AuditWorkspace.with { w in
            try FileManager.default.copyItem(atPath: AuditRepo.root + "/seeds", toPath: w.dir + "/seeds")
            for (name, content) in files { try AuditFiles.write(content, to: w.dir + "/" + name) }
            // Each command is preceded by a marker; `$?` is carried across the marker for `echo $?`.
            var script = "exec 2>&1\n"
            for (i, command) in commands.enumerated() {
                script += "__status=$?; printf '@@AUDIT-CMD-\(i)@@\\n'; (exit $__status)\n\(command.line)\n"
            }
            script += "printf '@@AUDIT-CMD-\(commands.count)@@\\n'\n"
            let path = URL(fileURLWithPath: binary).deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            let result = try AuditProcess.run("/bin/bash", ["-c", script], env: ["PATH": path, "REPO": AuditRepo.root], cwd: w.dir)
            let output = result.stdout
            for (i, command) in commands.enumerated() {
                guard let start = output.range(of: "@@AUDIT-CMD-\(i)@@\n"), let end = output.range(of: "@@AUDIT-CMD-\(i + 1)@@") else {
                    Issue.record("command \(i) did not complete: \(command.line)\n\(result)")
                    return
                }
                let actual = Self.trimmed(output[start.upperBound..<end.lowerBound])
                #expect(actual == command.expected, "docs/AUDIT.md command \(i): $ \(command.line)\n--- the document shows:\n\(command.expected)\n--- it printed:\n\(actual)")
            }
        }
    }

    /// The parser sees what it must: a changed expected output is a mismatch the test would report.
    @Test func parserReadsCommandsOutputsAndFiles() throws {
        let sample = """
            text
            <!-- audit-run -->
            ```console
            $ echo a
            a
            $ true
            ```
            <!-- audit-file: x.py -->
            ```python
            print(1)
            ```
            ```console
            $ not run
            ```
            """
        let (commands, files) = try Self.parse(sample)
        #expect(commands.map(\.line) == ["echo a", "true"])
        #expect(commands.map(\.expected) == ["a", ""])
        #expect(files == ["x.py": "print(1)\n"])
    }
}
