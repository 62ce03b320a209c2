import Foundation
import Testing

/// docs/AUDIT.md's console blocks marked `<!-- audit-run -->` are run in order, in one bash session that
/// starts in a folder holding a copy of the committed ledger and of seeds/, with the built binary on
/// PATH and as CLAIMLEDGER_BIN, and REPO set (the document's build step); each command's output (stdout
/// and stderr) must be the output the document shows. A block marked `<!-- audit-file: NAME -->` is
/// written to NAME in the session's current folder where it appears. No private key of the newsroom
/// is needed: the document's operator steps use the test-only keys.
@Suite struct AuditDocTests {
    static let document = AuditRepo.root + "/docs/AUDIT.md"

    struct Command {
        let line: String
        let expected: String
    }

    /// The marked blocks of the document: the commands to run and the files to write.
    static func parse(_ text: String) throws -> (commands: [Command], files: [String: String]) {
        let (commands, files, _) = try parseInOrder(text)
        return (commands, files)
    }

    /// As `parse`, with where each file is written: before the command of that index.
    static func parseInOrder(_ text: String) throws -> (commands: [Command], files: [String: String], fileBefore: [String: Int]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [(String, [String])] = []
        var files: [String: String] = [:]
        var fileBefore: [String: Int] = [:]
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
                fileBefore[fileName] = commands.count
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
        return (commands.map { Command(line: $0.0, expected: $0.1.joined(separator: "\n")) }, files, fileBefore)
    }

    static func trimmed(_ s: Substring) -> String {
        var s = s
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }

    @Test func walkthroughCommandsPrintWhatTheDocumentShows() throws {
        let (commands, files, fileBefore) = try Self.parseInOrder(try AuditFiles.text(Self.document))
        try #require(commands.count >= 40, "expected the walkthrough's commands, found \(commands.count)")
        #expect(files["root.py"] != nil)
        let binary = try #require(AuditRepo.binary, "no claimledger binary: build it with `swift build --product claimledger`")
        let dir = try AuditFiles.makeTemporaryDirectory(prefix: "claimledger-auditdoc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/ledger", withIntermediateDirectories: true)
        for item in ["entries.jsonl", "sources", "checkpoints"] {
            try FileManager.default.copyItem(atPath: AuditRepo.root + "/ledger/" + item, toPath: dir + "/ledger/" + item)
        }
        try FileManager.default.copyItem(atPath: AuditRepo.root + "/seeds", toPath: dir + "/seeds")
        // Each command is preceded by a marker; `$?` is carried across the marker for `echo $?`.
        var script = "exec 2>&1\n"
        for (i, command) in commands.enumerated() {
            script += "__status=$?; printf '@@AUDIT-CMD-\(i)@@\\n'\n"
            for (name, content) in files.sorted(by: { $0.key < $1.key }) where fileBefore[name] == i {
                script += "printf %s \(Self.shellQuoted(content)) > \(Self.shellQuoted(name))\n"
            }
            script += "(exit $__status)\n\(command.line)\n"
        }
        script += "printf '@@AUDIT-CMD-\(commands.count)@@\\n'\n"
        let bin = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        let env = ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                   "REPO": AuditRepo.root, "CLAIMLEDGER_BIN": binary, "TMPDIR": dir]
        let result = try AuditProcess.run("/bin/bash", ["-c", script], env: env, cwd: dir)
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

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
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
