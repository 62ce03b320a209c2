/// The OpenAPI document's frame: info, server, shared components (see OpenAPIDocument.swift).
/// Response schemas follow the CLI's `--json` shapes (schemas/claim-show.schema.json and the others);
/// they list the members every response has and allow the editorial ones the ledger may add.
enum OpenAPIBase {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "ClaimLedger newsroom API",
    "version": "1.0.0",
    "description": "Read and write a ClaimLedger ledger: claims with their quotes, statuses, verdicts, positions, links, corrections and reviews; archived sources; keys, checkpoints and Merkle proofs. Every write is a signed ledger entry, exactly as the claimledger CLI makes it. Responses reuse the CLI's --json shapes (schemas/ in the repository). Errors are RFC 9457 problem details with the CLI's stable codes."
  },
  "servers": [{ "url": "/api/v1" }],
  "components": {
    "parameters": {
      "ClaimID": { "name": "id", "in": "path", "required": true, "description": "A claim id: a lower-case letter, then 2-63 of a-z, 0-9 and -.", "schema": { "type": "string", "pattern": "^[a-z][a-z0-9-]{2,63}$" } },
      "SourceID": { "name": "id", "in": "path", "required": true, "description": "A source id: the 64 lower-case hex digits of its SHA-256, or a unique prefix of 8 or more.", "schema": { "type": "string", "pattern": "^[0-9a-f]{8,64}$" } }
    },
    "responses": {
      "Problem": { "description": "An RFC 9457 problem: the request was refused and nothing changed.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
          "type": { "type": "string" },
          "title": { "type": "string" },
          "status": { "type": "integer", "minimum": 400, "maximum": 599 },
          "detail": { "type": "string" },
          "code": { "type": "string", "description": "The stable code of the error, as the CLI reports it (LedgerError, StoreError, or the server's own: not-found, forbidden, unauthorized, csrf, throttled...)." }
        }
      },
      "Hex64": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
      "Date": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
      "Status": { "type": "string", "enum": ["unverified", "corroborated", "disputed", "refuted", "unverifiable"] },
      "EntryRef": {
        "type": "object",
        "required": ["seq", "hash", "signer", "time"],
        "properties": {
          "seq": { "type": "integer", "minimum": 0 },
          "hash": { "$ref": "#/components/schemas/Hex64" },
          "signer": { "$ref": "#/components/schemas/Hex64" },
          "time": { "type": "string" }
        }
      },
      "Quote": {
        "type": "object",
        "required": ["text", "start", "end", "source"],
        "properties": {
          "text": { "type": "string" }, "start": { "type": "integer", "minimum": 0 }, "end": { "type": "integer", "minimum": 0 },
          "source": { "$ref": "#/components/schemas/Hex64" }
        }
      },
      "ClaimListItem": {
        "type": "object",
        "required": ["id", "status", "claimant", "date", "statement", "lang", "corrected", "retracted", "reviewed", "seq"],
        "properties": {
          "id": { "type": "string" }, "status": { "$ref": "#/components/schemas/Status" }, "claimant": { "type": "string" },
          "date": { "$ref": "#/components/schemas/Date" }, "statement": { "type": "string" }, "lang": { "type": "string" },
          "corrected": { "type": "boolean" }, "retracted": { "type": "boolean" }, "reviewed": { "type": "boolean" },
          "seq": { "type": "integer", "minimum": 0 }, "verdict": { "type": "string" },
          "snippet": { "type": "array", "items": { "type": "object", "required": ["text", "match"], "properties": { "text": { "type": "string" }, "match": { "type": "boolean" } } } }
        }
      },
      "ClaimList": {
        "type": "object",
        "required": ["claims", "total", "page", "perPage"],
        "properties": {
          "claims": { "type": "array", "items": { "$ref": "#/components/schemas/ClaimListItem" } },
          "total": { "type": "integer", "minimum": 0 }, "page": { "type": "integer", "minimum": 1 }, "perPage": { "type": "integer", "minimum": 1, "maximum": 200 }
        }
      },
      "Claim": {
        "description": "`claimledger claim show --json` (schemas/claim-show.schema.json).",
        "type": "object",
        "required": ["id", "statement", "lang", "claimant", "date", "status", "history", "quotes", "entry", "sources", "corrected", "retracted", "amends", "positions", "links", "linkedFrom", "reviewed"],
        "properties": {
          "id": { "type": "string" }, "statement": { "type": "string" }, "lang": { "type": "string" }, "claimant": { "type": "string" },
          "date": { "$ref": "#/components/schemas/Date" }, "status": { "$ref": "#/components/schemas/Status" },
          "kind": { "type": "string", "enum": ["substance", "attribution"] }, "verdict": { "type": "string" }, "rationale": { "type": "string" },
          "history": { "type": "array", "items": { "type": "object", "required": ["status", "rationale", "evidence", "entry"] } },
          "quotes": { "type": "array", "items": { "$ref": "#/components/schemas/Quote" } },
          "entry": { "$ref": "#/components/schemas/EntryRef" },
          "sources": { "type": "array", "items": { "$ref": "#/components/schemas/Source" } },
          "corrected": { "type": "boolean" }, "retracted": { "type": "boolean" }, "reviewed": { "type": "boolean" },
          "amends": { "type": "array" }, "positions": { "type": "array" }, "links": { "type": "array" }, "linkedFrom": { "type": "array" },
          "original": { "type": "object" }
        }
      },
      "Source": {
        "description": "`claimledger source list --json`'s items.",
        "type": "object",
        "required": ["id", "sha256", "size", "title", "publisher", "url", "published", "language", "mediaType", "archive", "entry"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Hex64" }, "sha256": { "$ref": "#/components/schemas/Hex64" }, "size": { "type": "integer", "minimum": 0 },
          "title": { "type": "string" }, "publisher": { "type": "string" }, "url": { "type": "string" }, "published": { "$ref": "#/components/schemas/Date" },
          "language": { "type": "string" }, "mediaType": { "type": "string" }, "archive": { "type": "string" },
          "entry": { "$ref": "#/components/schemas/EntryRef" }, "provenance": { "type": "object" }
        }
      },
      "Key": {
        "type": "object",
        "required": ["keyId", "name", "role", "publicKey", "added"],
        "properties": {
          "keyId": { "$ref": "#/components/schemas/Hex64" }, "name": { "type": "string" }, "role": { "type": "string", "enum": ["root", "journalist", "editor"] },
          "publicKey": { "type": "string" }, "added": { "type": "integer", "minimum": 0 }, "revoked": { "type": "integer", "minimum": 0 }
        }
      },
      "Verification": {
        "description": "`claimledger verify --json` (schemas/verify-report.schema.json) for the server's view of the ledger.",
        "type": "object",
        "required": ["ok", "entries", "head", "checked", "warningCount", "warnings"],
        "properties": {
          "ok": { "type": "boolean" }, "entries": { "type": "integer", "minimum": 0 }, "head": { "$ref": "#/components/schemas/Hex64" },
          "checked": { "type": "integer", "minimum": 0 }, "warningCount": { "type": "integer", "minimum": 0 }, "warnings": { "type": "array" },
          "rootHash": { "$ref": "#/components/schemas/Hex64" },
          "checkpoint": { "type": "object", "required": ["treeSize", "rootHash"], "properties": { "treeSize": { "type": "integer" }, "rootHash": { "$ref": "#/components/schemas/Hex64" } } },
          "seq": { "type": ["integer", "null"] }, "reason": { "type": "string" }, "code": { "type": "string" }
        }
      },
      "Checkpoint": {
        "type": "object",
        "required": ["treeSize", "rootHash", "origin", "signers", "note"],
        "properties": {
          "treeSize": { "type": "integer", "minimum": 0 }, "rootHash": { "$ref": "#/components/schemas/Hex64" }, "origin": { "type": "string" },
          "signers": { "type": "array", "items": { "type": "object", "required": ["keyId", "name"], "properties": { "keyId": { "$ref": "#/components/schemas/Hex64" }, "name": { "type": "string" } } } },
          "note": { "type": "string", "description": "The signed note (C2SP signed-note, tlog-checkpoint body) as stored." }
        }
      },
      "Checkpoints": {
        "type": "object",
        "required": ["checkpoints", "treeSize"],
        "properties": {
          "checkpoints": { "type": "array", "items": { "$ref": "#/components/schemas/Checkpoint" } },
          "latest": { "type": "integer" }, "treeSize": { "type": "integer", "minimum": 0 }
        }
      },
      "InclusionProof": {
        "description": "`claimledger prove inclusion --json` (schemas/inclusion-proof.schema.json).",
        "type": "object",
        "required": ["index", "treeSize", "leafHash", "rootHash", "proof"],
        "properties": {
          "index": { "type": "integer", "minimum": 0 }, "treeSize": { "type": "integer", "minimum": 1 },
          "leafHash": { "$ref": "#/components/schemas/Hex64" }, "rootHash": { "$ref": "#/components/schemas/Hex64" },
          "proof": { "type": "array", "items": { "$ref": "#/components/schemas/Hex64" } }
        }
      },
      "ConsistencyProof": {
        "description": "`claimledger prove consistency --json` (schemas/consistency-proof.schema.json).",
        "type": "object",
        "required": ["oldSize", "newSize", "oldRoot", "newRoot", "proof"],
        "properties": {
          "oldSize": { "type": "integer", "minimum": 1 }, "newSize": { "type": "integer", "minimum": 1 },
          "oldRoot": { "$ref": "#/components/schemas/Hex64" }, "newRoot": { "$ref": "#/components/schemas/Hex64" },
          "proof": { "type": "array", "items": { "$ref": "#/components/schemas/Hex64" } }
        }
      }
    }
  }
}
"""#
}
