// The benchmark is being written (docs/PERFORMANCE.md).
print("claimledger-bench: not built yet")
