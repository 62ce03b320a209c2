/// The self-check script of a published claim page, served as `verify.js` (static site:
/// `assets/verify.js`, loaded by claim pages as `../assets/verify.js`; server: `/static/verify.js`). It
/// only ever runs as an external file (the pages' CSP forbids inline scripts), uses nothing but the Web
/// Cryptography API (SHA-256, Ed25519) and the DOM, fetches nothing, and writes to the page with
/// `textContent` and `createElement` only (never `innerHTML` nor `eval`). It works from `file://`.
///
/// THE PAGE CONTRACT. The page holds `#self-check-result` (`data-state="pending"`), `#self-check-details`
/// (an `<ol>`), `<script type="application/json" id="claim-proof">` with an export document
/// (docs/FORMAT.md 11) whose `claims` is exactly one claim object with its `proofs`, together with `keys`,
/// `origin`, `checkpoint`, `verifierKeys`, `proofTreeSize` and `proofRootHash`; and any number of elements
/// with `data-verify-field` = `id`, `statement`, `claimant`, `date`, `status`, `verdict` or `rationale` whose
/// `textContent` is that value in display form (each direction control U+202A-U+202E, U+2066-U+2069,
/// U+200E, U+200F, U+061C, U+2028, U+2029 written `[U+XXXX]`, NUL as U+FFFD).
///
/// WHAT IT CHECKS, in this order, stopping at the first failure (`data-state="failed"`, and
/// `data-failed-check` names the check):
/// 1. `data`: the embedded JSON parses; `format` is `claimledger-export/1`; one claim; the members it
///    needs are present and well formed (hex digests, canonical base64, integers).
/// 2. `checkpoint`: `checkpoint` is a c2sp.org/signed-note (FORMAT.md 14.2: text, blank line, signature
///    lines `— <name> <base64(key id || signature)>`) whose text is a tlog-checkpoint body. A verifier key
///    of `verifierKeys` is trusted only if its name is `origin`, its key id is the first 4 bytes of
///    SHA-256(name || LF || 0x01 || public key), and its public key is that of a `root` key of `keys`
///    active at the checkpoint's size (7.2, 14.2). At least one signature line is by a trusted key and
///    every one by a trusted key verifies (Ed25519 over the note text, the acceptance rule of 7.6). The
///    body's origin is `origin`, its size `proofTreeSize`, its root `proofRootHash`. With `#pin=HEX` in
///    the page's address (a root key id, 16 to 64 hex digits of SHA-256 of the raw public key), a key
///    whose id starts with HEX must be one of the keys whose signature verified.
/// 3. For each item of `proofs`, by ascending seq: the line is in canonical form (RFC 8785, checked by
///    re-serialising) and of the form `{"entry":…,"hash":"<64 hex>","signature":"<88 base64>"}`, its
///    `seq` is the item's, and SHA-256(0x00 || canonical bytes) is its `hash` (`hash`); its signer is a
///    key of `keys` whose id recomputes from its public key, active at that seq (7.2) and of a role that
///    may sign the entry's type (7.5) (`key`); its Ed25519 signature over the canonical bytes verifies
///    under the acceptance rule of 7.6 (`signature`); its inclusion proof is for that seq in the tree of
///    `proofTreeSize` entries, names the line's hash and `proofRootHash`, and recomputes that root by
///    RFC 9162 section 2.1.3.2 (`inclusion`).
/// 4. `content`: from the verified lines alone it derives the claim's current statement, language,
///    claimant, date and kind (the claim entry with every `correct` amend applied in seq order),
///    corrected, retracted, status, verdict and rationale (latest status entry), and reviewed (the latest
///    review of that status entry approves). Every entry the claim object names (claim entry, history,
///    reviews, amends, positions, links both ways, sources) with seq < `proofTreeSize` must have a proof
///    and the same hash, and be of the right type for the claim; every status, amend and review line of
///    the claim among the proofs must be in the claim object. The claim object's members and every
///    `[data-verify-field]` element must equal the derived values.
/// 5. Entries the claim object names with seq ≥ `proofTreeSize` came after the checkpoint: they cannot
///    be checked; the fields they may change are compared with the claim object only
///    (`data-state="partial"`, and the page says which entries and fields).
/// Otherwise `data-state="verified"`. Without Ed25519 in the browser's Web Cryptography:
/// `data-state="unsupported"`. Any unexpected error: `failed`, `data-failed-check="data"`.
///
/// WHAT IT CANNOT CHECK. It trusts the root keys shipped in the page (`keys`, `verifierKeys`): whoever
/// can rewrite the whole page can make a consistent one with their own keys; only a reader's pin
/// (`#pin=`, a key id obtained elsewhere) or a check against a ledger detects that. It cannot show that
/// no entry about the claim was left out of `proofs` (a later status, correction or retraction, or a
/// review that returned the verdict), nor that none came after the checkpoint: only a full verification
/// of the ledger (`claimledger verify`) can. It does not check the archived sources' bytes or the quotes
/// against them, the page's other text (history, quotes, positions, source pages), that the checkpoint
/// is consistent with earlier ones, or the entries' times.
enum VerifyScript {
    /// One script, kept in four files of one section each (one IIFE: each part continues the last).
    static let text = primitives + documentChecks + contentChecks + report
}
