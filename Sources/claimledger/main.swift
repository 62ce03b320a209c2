print("claimledger")
