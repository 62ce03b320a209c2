// ClaimLedgerSearch: see Package.swift for where this module sits.
