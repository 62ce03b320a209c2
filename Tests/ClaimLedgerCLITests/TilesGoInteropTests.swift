import Foundation
import Testing

/// Tests/Interop/tiles/run.sh: `claimledger tiles` of the committed ledger and of a ledger of 803 entries
/// made with fresh keys, served over HTTP and read by Go's golang.org/x/mod/sumdb/tlog and sumdb/note
/// (roots through the tiles, every entry proved with ProveRecord/CheckRecord, every signature verified),
/// tampered copies refused. Runs when go and python3 are on PATH, and always in CI (.ci/run installs
/// golang-go and golang-golang-x-mod-dev), where their absence fails the test instead of skipping it.
@Suite struct TilesGoInteropTests {
    static let inCI = ProcessInfo.processInfo.environment["CLAIMLEDGER_CI_ISOLATED"] != nil
    static let toolsPresent = AuditProcess.onPath("go") && AuditProcess.onPath("python3")

    @Test(.enabled(if: toolsPresent || inCI, "go or python3 is not on PATH (apt-get install golang-go golang-golang-x-mod-dev)"))
    func goReadsTheTilesOverHTTP() throws {
        let binary = try #require(AuditRepo.binary, "no claimledger binary: build it with `swift build --product claimledger`")
        var env = [String: String]()
        if ProcessInfo.processInfo.environment["HOME"] == nil && ProcessInfo.processInfo.environment["GOCACHE"] == nil {
            env["GOCACHE"] = FileManager.default.temporaryDirectory.path + "/claimledger-tiles-gocache"
        }
        let result = try AuditProcess.run("/bin/bash", [AuditRepo.root + "/Tests/Interop/tiles/run.sh", binary], env: env)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("tiles interop: all checks passed\n"), "\(result)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.contains(": ok: ") }.count == 3, "\(result)")
        #expect(lines.contains { $0.contains("committed ledger: ok: claimledger.example/newsroom checkpoint 394") }, "\(result)")
        #expect(lines.filter { $0.contains("refused as it must be") }.count == 3, "\(result)")
    }
}
