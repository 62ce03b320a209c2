extension VerifyScript {
    /// Checks 1 to 3: the embedded data, the checkpoint, each entry line.
    static let documentChecks = #"""
  // ---- 1. data ----------------------------------------------------------------------------------
  function need(ok, what) { if (!ok) fail("data", "the page's embedded data is not a valid export document: " + what + "."); }
  function isEntryRef(ref) {
    return ref !== null && typeof ref === "object" && isCount(ref.seq) && isHex64(ref.hash);
  }

  function readDocument() {
    var holder = document.getElementById("claim-proof");
    need(holder !== null, "the page has no #claim-proof element");
    var doc;
    try { doc = JSON.parse(holder.textContent); } catch (e) { need(false, "its JSON does not parse (" + e.message + ")"); }
    need(doc !== null && typeof doc === "object" && !Array.isArray(doc), "it is not a JSON object");
    need(doc.format === "claimledger-export/1", "format is not claimledger-export/1");
    need(typeof doc.origin === "string" && doc.origin.length > 0, "origin is missing");
    need(Array.isArray(doc.keys), "keys is missing");
    need(Array.isArray(doc.claims), "claims is missing");
    need(doc.claims.length === 1, "it holds " + doc.claims.length + " claims, not exactly one");
    need(typeof doc.checkpoint === "string", "checkpoint is missing");
    need(Array.isArray(doc.verifierKeys), "verifierKeys is missing");
    need(isCount(doc.proofTreeSize), "proofTreeSize is missing or not an integer");
    need(isHex64(doc.proofRootHash), "proofRootHash is missing or not 64 lower-case hex digits");
    doc.keys.forEach(function (k, i) {
      need(k !== null && typeof k === "object" && isHex64(k.keyId) && typeof k.name === "string" &&
        typeof k.role === "string" && typeof k.publicKey === "string" && isCount(k.added) &&
        (k.revoked === undefined || isCount(k.revoked)), "keys[" + i + "] is malformed");
      var raw = fromBase64(k.publicKey);
      need(raw !== null && raw.length === 32, "keys[" + i + "].publicKey is not the canonical base64 of 32 bytes");
      k.raw = raw;
    });
    var c = doc.claims[0];
    need(c !== null && typeof c === "object", "the claim is not an object");
    ["id", "statement", "lang", "claimant", "date", "status"].forEach(function (m) {
      need(typeof c[m] === "string", "the claim's " + m + " is missing");
    });
    ["corrected", "retracted", "reviewed"].forEach(function (m) {
      need(typeof c[m] === "boolean", "the claim's " + m + " is missing");
    });
    ["history", "amends", "positions", "links", "linkedFrom", "sources", "proofs"].forEach(function (m) {
      need(Array.isArray(c[m]), "the claim's " + m + " is missing");
    });
    need(isEntryRef(c.entry), "the claim's entry reference is malformed");
    var last = -1;
    c.proofs.forEach(function (p, i) {
      var where = "proofs[" + i + "]";
      need(p !== null && typeof p === "object" && isCount(p.seq) && typeof p.line === "string", where + " is malformed");
      need(p.seq > last, where + " (entry " + p.seq + ") is not in ascending seq order");
      last = p.seq;
      var inc = p.inclusion;
      need(inc !== null && typeof inc === "object" && isCount(inc.index) && isCount(inc.treeSize) &&
        isHex64(inc.leafHash) && isHex64(inc.rootHash) && Array.isArray(inc.proof) && inc.proof.length <= 128 &&
        inc.proof.every(isHex64), "the inclusion proof of entry " + p.seq + " is malformed");
    });
    return doc;
  }

  // ---- 2. checkpoint ----------------------------------------------------------------------------
  // The reader's pin from the address: `#pin=HEX` (16 to 64 hex digits), or null.
  function readPin() {
    var fragment = (location.hash || "").replace(/^#/, "");
    var pin = null;
    fragment.split("&").forEach(function (part) {
      if (part.slice(0, 4) !== "pin=") return;
      try { pin = decodeURIComponent(part.slice(4)).toLowerCase(); } catch (e) { pin = part.slice(4); }
    });
    if (pin !== null && !/^[0-9a-f]{16,64}$/.test(pin)) {
      fail("checkpoint", "the pin in this page's address (" + display(pin) + ") is not a key id of 16 to 64 hex digits.");
    }
    return pin;
  }

  function utf8Length(s) { return encoder.encode(s).length; }
  function checkKeyName(name) {
    var n = utf8Length(name);
    if (n === 0 || n > NOTE_MAX_NAME_BYTES) return "a key name of " + n + " bytes";
    if (/[\p{White_Space}+\u0000-\u001F]/u.test(name)) return "a key name with a space, a plus or a control character";
    return null;
  }

  // c2sp.org/signed-note, strictly (FORMAT.md 14.2; the reference parser's limits).
  function parseNote(note) {
    var bad = function (what) { fail("checkpoint", "the checkpoint is not a well-formed signed note: " + what + "."); };
    if (!isWellFormed(note)) bad("it is not valid Unicode");
    var size = utf8Length(note);
    if (size > NOTE_MAX_BYTES) bad("it is " + size + " bytes, more than " + NOTE_MAX_BYTES);
    var control = /[\u0000-\u0009\u000B-\u001F]/.exec(note);
    if (control) bad("it holds control character U+00" + toHex([control[0].charCodeAt(0)]).toUpperCase());
    var split = note.lastIndexOf("\n\n");
    if (split < 0) bad("there is no blank line before the signatures");
    var text = note.slice(0, split + 1), block = note.slice(split + 2);
    if (block.length === 0) bad("there is no signature line");
    if (block[block.length - 1] !== "\n") bad("the last signature line does not end with a newline");
    var lines = block.slice(0, -1).split("\n");
    if (lines.length > NOTE_MAX_SIGNATURES) bad(lines.length + " signature lines, more than " + NOTE_MAX_SIGNATURES);
    var signatures = lines.map(function (line, i) {
      var where = "signature line " + (i + 1);
      if (line.slice(0, 2) !== "\u2014 ") bad(where + " does not start with an em dash and a space");
      var rest = line.slice(2), space = rest.indexOf(" ");
      if (space < 0) bad(where + " has no space after the key name");
      var name = rest.slice(0, space), nameProblem = checkKeyName(name);
      if (nameProblem) bad(where + " has " + nameProblem);
      var raw = fromBase64(rest.slice(space + 1));
      if (raw === null) bad(where + " is not canonical base64");
      if (raw.length < 5 || raw.length - 4 > NOTE_MAX_SIG_BYTES) bad(where + " decodes to " + raw.length + " bytes");
      return { name: name, keyId: toHex(raw.subarray(0, 4)), signature: raw.subarray(4), line: i + 1 };
    });
    signatures.forEach(function (s, i) {
      for (var j = 0; j < i; j++) {
        if (signatures[j].name === s.name && signatures[j].keyId === s.keyId) {
          bad("signature lines " + (j + 1) + " and " + (i + 1) + " are by the same key " + display(s.name) + "+" + s.keyId);
        }
      }
    });
    return { text: text, signatures: signatures };
  }

  // A tlog-checkpoint body: origin, size, base64 root, extension lines.
  function parseBody(text) {
    var bad = function (what) { fail("checkpoint", "the checkpoint's text is not a checkpoint: " + what + "."); };
    var lines = text.slice(0, -1).split("\n");
    if (lines.length < 3) bad("it has " + lines.length + " lines, not at least 3");
    lines.forEach(function (l, i) { if (l.length === 0) bad("line " + (i + 1) + " is empty"); });
    if (!/^(0|[1-9][0-9]*)$/.test(lines[1]) || !Number.isSafeInteger(Number(lines[1]))) {
      bad("its tree size " + quoted(lines[1]) + " is not a decimal number without leading zeros");
    }
    var root = fromBase64(lines[2]);
    if (root === null || root.length !== 32) bad("its root hash is not the canonical base64 of 32 bytes");
    return { origin: lines[0], size: Number(lines[1]), root: toHex(root) };
  }

  // FORMAT.md 7.2: a key may sign entry n if it was added by an entry before n (a genesis key, added 0,
  // also signs entry 0 itself) and not revoked by an entry before n.
  function activeForEntry(key, n) {
    return (key.added < n || (key.added === 0 && n === 0)) && (key.revoked === undefined || key.revoked >= n);
  }
  // FORMAT.md 14.2: a checkpoint of n entries is checked with the root keys added by an entry before n
  // and not revoked by an entry before n (none for n = 0).
  function activeForCheckpoint(key, n) {
    return key.added < n && (key.revoked === undefined || key.revoked >= n);
  }

  async function checkCheckpoint(doc, pin) {
    var origin = doc.origin, n = doc.proofTreeSize;
    var note = parseNote(doc.checkpoint);
    var body = parseBody(note.text);
    // Trusted verifier keys: `<origin>+<8 hex>+<base64(0x01 || key)>` of a root key active at n.
    var trusted = [];
    for (var i = 0; i < doc.verifierKeys.length; i++) {
      var vk = doc.verifierKeys[i];
      if (typeof vk !== "string") continue;
      var plus1 = vk.indexOf("+"), plus2 = plus1 < 0 ? -1 : vk.indexOf("+", plus1 + 1);
      if (plus2 < 0) continue;
      var name = vk.slice(0, plus1), id = vk.slice(plus1 + 1, plus2), data = fromBase64(vk.slice(plus2 + 1));
      if (name !== origin || !/^[0-9a-f]{8}$/.test(id) || data === null || data.length !== 33 || data[0] !== 1) continue;
      var pub = data.subarray(1);
      var computed = toHex((await sha256(concat([encoder.encode(name), [0x0A, 0x01], pub]))).subarray(0, 4));
      if (computed !== id) continue;
      var key = doc.keys.find(function (k) { return k.role === "root" && sameBytes(k.raw, pub) && activeForCheckpoint(k, n); });
      if (!key) continue;
      if (trusted.some(function (t) { return t.id === id && sameBytes(t.pub, pub); })) continue;
      trusted.push({ name: name, id: id, pub: pub, key: key, keyId: toHex(await sha256(pub)) });
    }
    if (trusted.length === 0) {
      fail("checkpoint", "none of the page's " + doc.verifierKeys.length + " verifier keys is a root key of this ledger " +
        "active at entry " + n + ", so no signature on the checkpoint can be trusted.");
    }
    var message = encoder.encode(note.text), signedBy = [];
    for (var s = 0; s < note.signatures.length; s++) {
      var sig = note.signatures[s];
      var t = trusted.find(function (k) { return k.name === sig.name && k.id === sig.keyId; });
      if (!t) continue;  // another log's key or a witness: kept, ignored
      var reason = await ed25519Reject(t.pub, sig.signature, message);
      if (reason) {
        fail("checkpoint", "the checkpoint's signature by " + display(t.key.name) + " (key " + short(t.keyId) +
          ", signature line " + sig.line + ") is not valid: " + reason + ".");
      }
      if (signedBy.indexOf(t) < 0) signedBy.push(t);
    }
    if (signedBy.length === 0) {
      fail("checkpoint", "the checkpoint has no signature by a root key of this ledger: its " + note.signatures.length +
        " signature line(s) are by " + note.signatures.map(function (x) { return display(x.name) + "+" + x.keyId; }).join(", ") +
        ", the trusted keys are " + trusted.map(function (x) { return display(x.name) + "+" + x.id; }).join(", ") + ".");
    }
    if (body.origin !== origin) {
      fail("checkpoint", "the checkpoint is for the log " + quoted(body.origin) + ", not " + quoted(origin) + ".");
    }
    if (body.size !== n) {
      fail("checkpoint", "the checkpoint covers " + body.size + " entries, but the page's proofs are for " + n + ".");
    }
    if (body.root !== doc.proofRootHash) {
      fail("checkpoint", "the checkpoint's root hash is " + short(body.root) + ", but the page's proofs lead to " +
        short(doc.proofRootHash) + ".");
    }
    if (pin !== null && !signedBy.some(function (k) { return k.keyId.slice(0, pin.length) === pin; })) {
      fail("checkpoint", "the checkpoint is not signed by the key pinned in this page's address (" + short(pin) +
        "): it is signed by " + signedBy.map(function (k) { return display(k.key.name) + " (key " + short(k.keyId) + ")"; }).join(" and ") + ".");
    }
    return { size: body.size, signedBy: signedBy };
  }

  // ---- 3. entries -------------------------------------------------------------------------------
  var PREFIX = encoder.encode('{"entry":'), HASH_AT = encoder.encode(',"hash":"'), SIG_AT = encoder.encode('","signature":"');
  var END = encoder.encode('"}');
  function bytesAt(bytes, at, what) { return sameBytes(bytes.subarray(at, at + what.length), what); }

  var ROLES = { genesis: ["root"], key: ["root"], scale: ["root"], review: ["editor"] };

  async function checkEntry(doc, item, keysById, lines) {
    var seq = item.seq, line = item.line, n = doc.proofTreeSize;
    var bad = function (what) { fail("hash", "entry " + seq + " is not a well-formed ledger line: " + what + "."); };
    if (seq >= n) {
      fail("data", "the page's data has a proof for entry " + seq + ", which is beyond the checkpoint of " + n + " entries.");
    }
    if (!isWellFormed(line)) bad("it is not valid Unicode");
    var bytes = encoder.encode(line), size = bytes.length;
    if (size < PREFIX.length + 178 + 2) bad("it is only " + size + " bytes");
    if (!bytesAt(bytes, 0, PREFIX) || !bytesAt(bytes, size - 178, HASH_AT) || !bytesAt(bytes, size - 105, SIG_AT) ||
        !bytesAt(bytes, size - 2, END)) {
      bad("it does not have the form {\"entry\":…,\"hash\":…,\"signature\":…}");
    }
    var ascii = function (from, to) { return String.fromCharCode.apply(null, bytes.subarray(from, to)); };
    var hashText = ascii(size - 169, size - 105), sigText = ascii(size - 90, size - 2);
    if (!isHex64(hashText)) bad("its hash is not 64 lower-case hex digits");
    var signature = fromBase64(sigText);
    if (signature === null || signature.length !== 64) bad("its signature is not the canonical base64 of 64 bytes");
    var parsed;
    try { parsed = JSON.parse(line); } catch (e) { bad("it is not JSON (" + e.message + ")"); }
    if (canonical(parsed) !== line) bad("it is not in canonical (RFC 8785) form");
    var entry = parsed.entry;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry) || !isCount(entry.seq) ||
        typeof entry.type !== "string" || !isHex64(entry.signer) || entry.payload === null || typeof entry.payload !== "object") {
      bad("its entry object lacks seq, type, signer or payload");
    }
    if (entry.seq !== seq) bad("it is entry " + entry.seq + ", but the page gives it as entry " + seq);
    var canonicalBytes = bytes.subarray(PREFIX.length, size - 178);

    var hash = toHex(await sha256(concat([[0], canonicalBytes])));
    if (hash !== hashText) {
      fail("hash", "entry " + seq + " has been changed: its content hashes to " + short(hash) + ", not to the hash " +
        short(hashText) + " that its line gives.");
    }

    var key = keysById[entry.signer];
    if (!key) fail("key", "entry " + seq + " is signed by key " + short(entry.signer) + ", which is not among the page's keys.");
    var computed = toHex(await sha256(key.raw));
    if (computed !== entry.signer) {
      fail("key", "entry " + seq + " is signed by key " + short(entry.signer) + ", but the public key the page gives for " +
        display(key.name) + " has the id " + short(computed) + ".");
    }
    if (!activeForEntry(key, seq)) {
      fail("key", "entry " + seq + " is signed by " + display(key.name) + " (key " + short(key.keyId) + "), which was not active at entry " +
        seq + " (added at entry " + key.added + (key.revoked === undefined ? "" : ", revoked at entry " + key.revoked) + ").");
    }
    // FORMAT.md 7.5: who may sign what.
    var roles = ROLES[entry.type], refusal = null;
    if (roles && roles.indexOf(key.role) < 0) refusal = "only " + aKey(andList(roles)) + " may sign " + (entry.type === "review" ? "a review" : "a " + entry.type + " entry");
    else if (entry.type === "genesis" && key.added !== 0) refusal = "the genesis entry is signed by one of its own keys";
    else if (entry.type === "amend" && key.role !== "editor") {
      var claimed = lines.find(function (l) { return l.entry.type === "claim" && l.entry.payload.id === entry.payload.claim; });
      if (claimed && claimed.entry.signer !== entry.signer) refusal = "an amend is signed by the claim's own signer or an editor key";
    } else if (entry.type === "review") {
      var reviewed = lines.find(function (l) { return l.hash === entry.payload.status; });
      if (reviewed && reviewed.entry.signer === entry.signer) refusal = "a review is signed by another key than the status entry it reviews (entry " + reviewed.seq + ")";
    }
    if (refusal) {
      fail("key", "entry " + seq + " (" + display(entry.type) + ") is signed by " + display(key.name) + ", " + aKey(display(key.role)) +
        ", which may not sign it: " + refusal + ".");
    }

    var reason = await ed25519Reject(key.raw, signature, canonicalBytes);
    if (reason) fail("signature", "the signature of entry " + seq + " by " + display(key.name) + " (key " + short(key.keyId) + ") is not valid: " + reason + ".");

    var inc = item.inclusion;
    var problem = null;
    if (inc.index !== seq) problem = "it is for entry " + inc.index;
    else if (inc.treeSize !== n) problem = "it is for a tree of " + inc.treeSize + " entries, not " + n;
    else if (inc.leafHash !== hash) problem = "it names the leaf " + short(inc.leafHash) + ", not the entry's hash " + short(hash);
    else if (inc.rootHash !== doc.proofRootHash) problem = "it names the root " + short(inc.rootHash) + ", not the checkpoint's " + short(doc.proofRootHash);
    else {
      var root = await rootFromInclusion(seq, n, fromHex(hash), inc.proof.map(fromHex));
      if (root === null) problem = "its " + inc.proof.length + " hashes are not a path from leaf " + seq + " in a tree of " + n + " entries";
      else if (toHex(root) !== doc.proofRootHash) problem = "its " + inc.proof.length + " hashes lead to the root " + short(toHex(root)) + ", not the checkpoint's " + short(doc.proofRootHash);
    }
    if (problem) fail("inclusion", "entry " + seq + " is not shown to be in checkpoint " + n + ": " + problem + ".");
    return { seq: seq, hash: hash, entry: entry, key: key };
  }

"""#
}
