#!/usr/bin/env python3
"""Check one claim of a `claimledger export` on its own, offline (docs/AUDIT.md, section 2, step (f)).

    check-exported-claim.py EXPORT.json CLAIM_ID --verifier-key KEY [--verifier-key KEY ...]

KEY is the ledger's checkpoint verifier key, `<origin>+<key id>+<base64>`, as printed by
`claimledger key verifier-key newsroom-root.pub.pem --origin <origin>`. Get it from the newsroom
out of band, not from the export: it is the one thing this check trusts. (--trust-export-keys uses
the export's own `verifierKeys` instead, which only shows that the export is self-consistent.)

Checks, for the claim and every entry it rests on (its sources, the claim, its status changes):
  1. the export's signed checkpoint: C2SP signed-note signature by KEY (Ed25519), origin, size, root;
  2. each entry line: its canonical bytes (between `{"entry":` and `,"hash":"`), the leaf hash
     SHA-256(0x00 || bytes) with `openssl dgst`, the Ed25519 signature with `openssl pkeyutl`
     under the signer's key from the export's `keys`;
  3. each inclusion proof: the root recomputed from the leaf hash (RFC 9162 section 2.1.3.2) equals
     `proofRootHash` and the checkpoint's root, for the checkpoint's tree size;
  4. that the claim's fields (statement, claimant, quotes, status history, sources) are the ones
     in those signed entries.
Uses only the Python 3 standard library and the `openssl` binary (3.0 or later).
Exit status: 0 all checks pass; 1 a check failed; 2 usage or unreadable input.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

SPKI_ED25519_PREFIX = bytes.fromhex("302a300506032b6570032100")  # DER SubjectPublicKeyInfo header, 12 bytes
LINE_SUFFIX = re.compile(rb',"hash":"([0-9a-f]{64})","signature":"([A-Za-z0-9+/]+={0,2})"}$')
EM_DASH = "\u2014 "


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def openssl(args, data=None):
    return subprocess.run([OPENSSL] + args, input=data, capture_output=True)


def leaf_hash(entry_bytes):
    """SHA-256(0x00 || entry bytes) by `openssl dgst -sha256` (RFC 9162 section 2.1.1)."""
    out = openssl(["dgst", "-sha256", "-binary"], b"\x00" + entry_bytes)
    require(out.returncode == 0, "openssl dgst failed: " + out.stderr.decode(errors="replace"))
    return out.stdout.hex()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def ed25519_verify(raw_public_key, message, signature, workdir):
    """`openssl pkeyutl -verify -rawin` with the key as SPKI PEM (12-byte DER header || 32-byte key)."""
    der = SPKI_ED25519_PREFIX + raw_public_key
    pem = "-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PUBLIC KEY-----\n"
    paths = {name: os.path.join(workdir, name) for name in ("key.pem", "message", "signature")}
    for name, data in (("key.pem", pem.encode()), ("message", message), ("signature", signature)):
        with open(paths[name], "wb") as f:
            f.write(data)
    out = openssl(["pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                   "-in", paths["message"], "-sigfile", paths["signature"]])
    return out.returncode == 0


def root_from_inclusion_proof(index, size, leaf, proof):
    """RFC 9162 section 2.1.3.2: the root that an audit path yields for a leaf hash (hex in, hex out)."""
    require(0 <= index < size, "leaf index %d outside tree of size %d" % (index, size))
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        require(sn != 0, "the proof has more hashes than the path from leaf %d in a tree of %d" % (index, size))
        if fn & 1 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    require(sn == 0, "the proof has fewer hashes than the path from leaf %d in a tree of %d" % (index, size))
    return r


def parse_verifier_key(text):
    """`<name>+<8 hex key id>+<base64(0x01 || 32-byte Ed25519 key)>`; checks the key id."""
    name, key_id, data = text.strip().split("+", 2)
    raw = base64.b64decode(data, validate=True)
    require(len(raw) == 33 and raw[0] == 1, "verifier key %s is not an Ed25519 (type 0x01) key" % name)
    computed = hashlib.sha256(name.encode() + b"\n\x01" + raw[1:]).digest()[:4].hex()
    require(computed == key_id, "verifier key %s: key id %s, computed %s" % (name, key_id, computed))
    return name, bytes.fromhex(key_id), raw[1:]


def check_checkpoint(note, verifier_keys, workdir):
    """C2SP signed-note: text up to and including the newline before the last blank line, then
    signature lines `— <name> <base64(4-byte key id || signature)>`. Returns (origin, size, root hex)."""
    split = note.rfind("\n\n")
    require(split >= 0 and note.endswith("\n"), "the checkpoint is not a signed note")
    text, signatures = note[:split + 1], note[split + 2:].splitlines()
    verified = []
    for line in signatures:
        require(line.startswith(EM_DASH), "malformed signature line %r" % line)
        name, _, b64 = line[len(EM_DASH):].partition(" ")
        raw = base64.b64decode(b64, validate=True)
        for key_name, key_id, public in verifier_keys:
            if key_name == name and key_id == raw[:4]:
                require(ed25519_verify(public, text.encode(), raw[4:], workdir),
                        "checkpoint signature by %s+%s does not verify" % (name, key_id.hex()))
                verified.append(name)
    require(verified, "the checkpoint has no signature by a trusted verifier key")
    lines = text.split("\n")
    require(len(lines) >= 4 and re.fullmatch(r"0|[1-9][0-9]*", lines[1]), "the checkpoint body is malformed")
    root = base64.b64decode(lines[2], validate=True)
    require(len(root) == 32, "the checkpoint's root hash is not 32 bytes")
    require(lines[0] in verified, "the checkpoint's origin %r is not its signer's key name" % lines[0])
    return lines[0], int(lines[1]), root.hex()


def check_entry(proof, keys, tree_size, root, workdir):
    """Checks one `proofs[]` item; returns (entry object, leaf hash hex)."""
    line = proof["line"].encode()
    match = LINE_SUFFIX.search(line)
    require(line.startswith(b'{"entry":') and match, "entry %s: the line is not a ledger line" % proof.get("seq"))
    entry_bytes, stated_hash = line[len(b'{"entry":'):match.start()], match.group(1).decode()
    entry = json.loads(entry_bytes)
    seq = entry["seq"]
    require(seq == proof["seq"] == proof["inclusion"]["index"], "entry %s: seq differs from the proof's" % seq)
    leaf = leaf_hash(entry_bytes)
    require(leaf == stated_hash, "entry %d: leaf hash %s, the line states %s" % (seq, leaf, stated_hash))
    key = keys.get(entry["signer"])
    require(key is not None, "entry %d: signer %s is not in the export's keys" % (seq, entry["signer"]))
    raw = base64.b64decode(key["publicKey"], validate=True)
    require(hashlib.sha256(raw).hexdigest() == entry["signer"], "entry %d: the signer's key id is not SHA-256(key)" % seq)
    require(key["added"] < seq or seq == 0, "entry %d: signed by a key added later" % seq)
    require(key.get("revoked", seq + 1) > seq, "entry %d: signed by a key revoked at entry %s" % (seq, key.get("revoked")))
    signature = base64.b64decode(match.group(2), validate=True)
    require(ed25519_verify(raw, entry_bytes, signature, workdir), "entry %d: Ed25519 signature does not verify" % seq)
    inclusion = proof["inclusion"]
    require(inclusion["leafHash"] == leaf, "entry %d: the proof's leafHash is not the entry's" % seq)
    require(inclusion["treeSize"] == tree_size, "entry %d: proof for tree size %d, checkpoint %d" % (seq, inclusion["treeSize"], tree_size))
    computed = root_from_inclusion_proof(seq, tree_size, leaf, inclusion["proof"])
    require(computed == inclusion["rootHash"] == root, "entry %d: inclusion proof gives root %s, checkpoint root %s" % (seq, computed, root))
    return entry, leaf


def check_claim(claim, entries):
    """The claim's fields must be those of the signed entries (by seq and hash)."""
    def signed(ref, kind):
        seq = ref["seq"]
        require(seq in entries, "entry %d (%s) has no proof: it is not covered by the export's checkpoint" % (seq, kind))
        entry, leaf = entries[seq]
        require(leaf == ref["hash"] and entry["type"] == kind, "entry %d: not the %s entry the claim names" % (seq, kind))
        return entry["payload"]

    c = signed(claim["entry"], "claim")
    stated = {"id": claim["id"], "statement": {"text": claim["statement"], "lang": claim["lang"]},
              "claimant": claim["claimant"], "date": claim["date"], "quotes": claim["quotes"]}
    require(all(c.get(k) == v for k, v in stated.items()), "the claim's fields differ from its signed claim entry")
    for h in claim["history"]:
        s = signed(h["entry"], "status")
        require(s == {"claim": claim["id"], "status": h["status"], "rationale": h["rationale"], "evidence": h["evidence"]},
                "status entry %d differs from the claim's history" % h["entry"]["seq"])
    current = claim["history"][-1]["status"] if claim["history"] else "unverified"
    require(claim["status"] == current, "the claim's status %r is not its latest signed status %r" % (claim["status"], current))
    for source in claim["sources"]:
        s = signed(source["entry"], "source")
        require(s["sha256"] == source["sha256"] == source["id"], "source entry %d differs from the claim's source" % source["entry"]["seq"])
    return len(claim["history"]), len(claim["sources"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export")
    parser.add_argument("claim")
    parser.add_argument("--verifier-key", action="append", default=[])
    parser.add_argument("--trust-export-keys", action="store_true")
    parser.add_argument("--openssl", default="openssl")
    args = parser.parse_args()
    global OPENSSL
    OPENSSL = args.openssl
    try:
        with open(args.export, encoding="utf-8") as f:
            export = json.load(f)
        key_texts = args.verifier_key + (export.get("verifierKeys", []) if args.trust_export_keys else [])
        if not key_texts:
            parser.error("pass --verifier-key (from `claimledger key verifier-key`) or --trust-export-keys")
        verifier_keys = [parse_verifier_key(k) for k in key_texts]
    except (OSError, ValueError, CheckFailed) as e:
        print("check-exported-claim: %s" % e, file=sys.stderr)
        return 2
    try:
        claim = next((c for c in export.get("claims", []) if c.get("id") == args.claim), None)
        require(claim is not None, "no claim %r in the export" % args.claim)
        require("checkpoint" in export, "the export carries no signed checkpoint (run `claimledger checkpoint` first)")
        with tempfile.TemporaryDirectory() as workdir:
            origin, size, root = check_checkpoint(export["checkpoint"], verifier_keys, workdir)
            print("ok: checkpoint of %s, %d entries, root %s, signed by a trusted key" % (origin, size, root))
            require(origin == export["origin"], "the checkpoint's origin is not the export's")
            require(export["proofTreeSize"] == size and export["proofRootHash"] == root,
                    "proofTreeSize/proofRootHash are not the checkpoint's")
            keys = {k["keyId"]: k for k in export["keys"]}
            entries = {}
            for proof in claim["proofs"]:
                entry, leaf = check_entry(proof, keys, size, root, workdir)
                entries[entry["seq"]] = (entry, leaf)
                print("ok: entry %d (%s): leaf hash %s, signature, inclusion in the checkpoint's tree"
                      % (entry["seq"], entry["type"], leaf))
        statuses, sources = check_claim(claim, entries)
        print("ok: claim %s: statement, quotes, %d status entries and %d sources are the signed ones; status %s"
              % (claim["id"], statuses, sources, claim["status"]))
    except CheckFailed as e:
        print("FAIL: %s" % e)
        return 1
    except (KeyError, TypeError, ValueError) as e:
        print("FAIL: malformed export: %s: %s" % (type(e).__name__, e))
        return 1
    return 0


OPENSSL = "openssl"
if __name__ == "__main__":
    sys.exit(main())
