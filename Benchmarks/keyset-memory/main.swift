// The verification-only claim key set (ClaimKeySet) of the benchmark's 1,000,000-claim ledger, alone:
// claim i gets a status when i is even, i % 10 == 5 or i % 1000 == 7 (601,000 statuses, as
// claimledger-bench's workload), reserved as `LedgerStore.verify` reserves it (ledger bytes / 896).
// Prints the process's VmHWM before and after. Not a target of the package; build it against the release
// objects of Benchmarks/run.sh (scratch .build-bench):
//
//   R=.build-bench/release
//   swiftc -O Benchmarks/keyset-memory/main.swift -I $R/Modules \
//     -Xcc -fmodule-map-file=Sources/COpenSSL/module.modulemap \
//     $R/{ClaimLedgerCore,LedgerCrypto,CanonicalJSON,Merkle,SignedNote}.build/*.o -lcrypto -o /tmp/keyset-memory
//   /tmp/keyset-memory tags [LEDGER_BYTES]     # or `hashes`: status hashes kept whole (verify --save-state)
import ClaimLedgerCore
import LedgerCrypto
import Glibc

func hwm() -> String {
    let f = fopen("/proc/self/status", "r")!
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    var out = ""
    while fgets(&line, 256, f) != nil {
        let s = String(cString: line)
        if s.hasPrefix("VmHWM") || s.hasPrefix("VmRSS") { out += s.filter { $0 != "\n" } + " " }
    }
    return out
}
let tagging = CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "tags"
let ledgerBytes = Int(CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "1170000000")!
print("before:", hwm())
var set = ClaimKeySet(taggingStatuses: tagging)
set.reserveCapacity(ledgerBytes / 896)
for i in 0..<1_000_000 {
    let key = ClaimKey("bench-claim-\(i)")
    set.insert(key, facts: ClaimFacts(recorder: 1))
    if i % 2 == 0 || i % 10 == 5 || i % 1000 == 7 {
        var f = set.facts(of: key)!
        f.noteStatus(SHA256.hash(Array("status-\(i)".utf8)), signer: 1)
        set.setFacts(f, of: key)
    }
}
print("tagging \(tagging), \(set.count) claims, \(set.slotCount) slots:", hwm())
