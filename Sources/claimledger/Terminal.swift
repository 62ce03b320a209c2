import CanonicalJSON
import Glibc

/// Output: results on stdout, errors and progress on stderr; a progress bar only on a terminal.
enum Terminal {
    static func error(_ message: String) {
        let oneLine = message.replacingOccurrences(of: "\n", with: " ")
        writeStderr("claimledger: error: \(oneLine)\n")
    }

    static func note(_ message: String) {
        writeStderr("\(message)\n")
    }

    static func printJSON(_ value: JSONValue) {
        let bytes = (try? JCS.canonicalize(value)) ?? Array("null".utf8)
        print(String(decoding: bytes, as: UTF8.self))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// Writes to file descriptor 2 directly (the C `stderr` global is not concurrency-safe in Swift 6).
func writeStderr(_ text: String) {
    var bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
        done += n
    }
}

/// A progress bar on stderr, redrawn at most ten times a second, only when stderr is a terminal.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false

    init(_ label: String) {
        self.label = label
        enabled = Terminal.stderrIsTerminal
    }

    func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let now = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        guard now - lastDraw >= 0.1 || done == total else { return }
        lastDraw = now
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        writeStderr("\r\(label) [\(bar)] \(done * 100 / total)%")
        drawn = true
    }

    func finish() {
        if drawn { writeStderr("\r\u{1B}[K") }
        drawn = false
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// All of standard input, up to `limit` bytes (more is cut off and then refused by the parser).
func readStandardInput(limit: Int) -> [UInt8] {
    var out = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while out.count <= limit {
        let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return out
}
