/// The read routes' `paths` of the OpenAPI document (read side; see OpenAPIDocument.swift).
enum OpenAPIReadPaths {
    static let json = #"""
{
  "/openapi.json": {
    "get": {
      "operationId": "getOpenAPI", "summary": "This document.", "tags": ["meta"],
      "responses": { "200": { "description": "The OpenAPI 3.1 document.", "content": { "application/json": { "schema": { "type": "object" } } } } }
    }
  },
  "/claims": {
    "get": {
      "operationId": "listClaims", "tags": ["claims"],
      "summary": "Claims, newest first, with filters and full-text search; paged.",
      "description": "An empty parameter is the same as an absent one (the claims page's filter form sends every field).",
      "parameters": [
        { "name": "q", "in": "query", "description": "Full-text search over statements, quotes, claimants, positions and rationales.", "schema": { "anyOf": [ { "type": "string", "maxLength": 256 }, { "const": "" } ] } },
        { "name": "status", "in": "query", "schema": { "anyOf": [ { "$ref": "#/components/schemas/Status" }, { "const": "" } ] } },
        { "name": "verdict", "in": "query", "description": "A label of the ledger's verdict scale.", "schema": { "anyOf": [ { "type": "string", "maxLength": 256 }, { "const": "" } ] } },
        { "name": "claimant", "in": "query", "schema": { "anyOf": [ { "type": "string", "maxLength": 256 }, { "const": "" } ] } },
        { "name": "party", "in": "query", "description": "The party of one of the claim's positions.", "schema": { "anyOf": [ { "type": "string", "maxLength": 256 }, { "const": "" } ] } },
        { "name": "source", "in": "query", "description": "Claims quoting or citing this source (id or a prefix of 8+ hex digits).", "schema": { "anyOf": [ { "type": "string", "pattern": "^[0-9a-f]{8,64}$" }, { "const": "" } ] } },
        { "name": "reviewed", "in": "query", "description": "Whether an editor approved the claim's current verdict.", "schema": { "anyOf": [ { "type": "string", "enum": ["yes", "no"] }, { "const": "" } ] } },
        { "name": "from", "in": "query", "description": "Said on or after this date.", "schema": { "anyOf": [ { "$ref": "#/components/schemas/Date" }, { "const": "" } ] } },
        { "name": "to", "in": "query", "description": "Said on or before this date.", "schema": { "anyOf": [ { "$ref": "#/components/schemas/Date" }, { "const": "" } ] } },
        { "name": "retracted", "in": "query", "description": "yes: include retracted claims.", "schema": { "anyOf": [ { "type": "string", "enum": ["yes", "no"] }, { "const": "" } ] } },
        { "name": "page", "in": "query", "schema": { "anyOf": [ { "type": "integer", "minimum": 1, "maximum": 1000000 }, { "const": "" } ] } },
        { "name": "perPage", "in": "query", "schema": { "anyOf": [ { "type": "integer", "minimum": 1, "maximum": 200 }, { "const": "" } ] } }
      ],
      "responses": {
        "200": { "description": "One page of matching claims.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ClaimList" } } } },
        "400": { "$ref": "#/components/responses/Problem" }
      }
    }
  },
  "/claims/{id}": {
    "get": {
      "operationId": "getClaim", "tags": ["claims"],
      "summary": "A claim with its quotes, history, positions, links both ways, corrections, reviews and sources (`claim show --json`).",
      "parameters": [{ "$ref": "#/components/parameters/ClaimID" }],
      "responses": {
        "200": { "description": "The claim.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Claim" } } } },
        "404": { "$ref": "#/components/responses/Problem" }
      }
    }
  },
  "/sources": {
    "get": {
      "operationId": "listSources", "tags": ["sources"], "summary": "Every archived source, in ledger order (`source list --json`).",
      "responses": { "200": { "description": "The sources.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Source" } } } } } }
    }
  },
  "/sources/{id}": {
    "get": {
      "operationId": "getSource", "tags": ["sources"], "summary": "A source's metadata and current provenance.",
      "parameters": [{ "$ref": "#/components/parameters/SourceID" }],
      "responses": {
        "200": { "description": "The source.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Source" } } } },
        "404": { "$ref": "#/components/responses/Problem" }
      }
    }
  },
  "/sources/{id}/text": {
    "get": {
      "operationId": "getSourceText", "tags": ["sources"], "summary": "The archived bytes of a source: text/plain for text, else application/octet-stream as an attachment.",
      "parameters": [{ "$ref": "#/components/parameters/SourceID" }],
      "responses": {
        "200": { "description": "The archived bytes, exactly as their SHA-256 says.", "content": { "text/plain": { "schema": { "type": "string" } }, "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
        "404": { "$ref": "#/components/responses/Problem" }
      }
    }
  },
  "/verification": {
    "get": {
      "operationId": "getVerification", "tags": ["audit"], "summary": "The ledger's verification as this server holds it (`verify --json`).",
      "responses": { "200": { "description": "The report.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Verification" } } } } }
    }
  },
  "/keys": {
    "get": {
      "operationId": "listKeys", "tags": ["audit"], "summary": "The ledger's keys with their roles and validity.",
      "responses": { "200": { "description": "The keys.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Key" } } } } } }
    }
  },
  "/checkpoints": {
    "get": {
      "operationId": "listCheckpoints", "tags": ["audit"], "summary": "The stored signed checkpoints, each verified.",
      "responses": { "200": { "description": "The checkpoints.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Checkpoints" } } } } }
    }
  },
  "/checkpoints/{size}": {
    "get": {
      "operationId": "getCheckpoint", "tags": ["audit"], "summary": "The stored checkpoint of that tree size, verified.",
      "parameters": [{ "name": "size", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0 } }],
      "responses": {
        "200": { "description": "The checkpoint.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Checkpoint" } } } },
        "404": { "$ref": "#/components/responses/Problem" }
      }
    }
  },
  "/proofs/inclusion": {
    "get": {
      "operationId": "getInclusionProof", "tags": ["audit"], "summary": "The RFC 6962 audit path of entry `seq` in the tree of the first `size` entries (default: all).",
      "parameters": [
        { "name": "seq", "in": "query", "required": true, "schema": { "type": "integer", "minimum": 0 } },
        { "name": "size", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
      ],
      "responses": {
        "200": { "description": "The proof, verified by the server before it is sent.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/InclusionProof" } } } },
        "400": { "$ref": "#/components/responses/Problem" }
      }
    }
  },
  "/proofs/consistency": {
    "get": {
      "operationId": "getConsistencyProof", "tags": ["audit"], "summary": "The proof that the tree of `from` entries is a prefix of the tree of `to` (default: all).",
      "parameters": [
        { "name": "from", "in": "query", "required": true, "schema": { "type": "integer", "minimum": 1 } },
        { "name": "to", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
      ],
      "responses": {
        "200": { "description": "The proof, verified by the server before it is sent.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsistencyProof" } } } },
        "400": { "$ref": "#/components/responses/Problem" }
      }
    }
  }
}
"""#
}
