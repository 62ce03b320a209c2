#!/usr/bin/env python3
"""An independent check of a tlog-cosignature v1 (Ed25519) line in a signed note, written from
c2sp.org/tlog-cosignature and c2sp.org/signed-note alone, with Python's `cryptography`:

    check_cosignature.py NOTE_FILE WITNESS_NAME WITNESS_PUBLIC_KEY_PEM

Finds the signature line `— <name> <base64>` whose key ID is SHA-256(name || 0x0A || 0x04 || key)[:4],
splits its bytes into key ID (4), big-endian u64 timestamp (8) and Ed25519 signature (64), and verifies
the signature over "cosignature/v1\\ntime <timestamp>\\n" followed by the note text (everything up to
and including the newline before the blank line). Prints `ok <timestamp>` and exits 0, or says what
failed and exits 1.
"""
import base64
import hashlib
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def main() -> int:
    note_path, name, pem_path = sys.argv[1:4]
    note = open(note_path, "rb").read()
    split = note.rindex(b"\n\n")
    text, lines = note[: split + 1], note[split + 2:].split(b"\n")
    key = serialization.load_pem_public_key(open(pem_path, "rb").read())
    assert isinstance(key, Ed25519PublicKey), "not an Ed25519 key"
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = hashlib.sha256(name.encode() + b"\n\x04" + raw).digest()[:4]
    prefix = "\u2014 ".encode() + name.encode() + b" "
    for line in lines:
        if not line.startswith(prefix):
            continue
        blob = base64.b64decode(line[len(prefix):], validate=True)
        if blob[:4] != key_id:
            continue
        if len(blob) != 4 + 8 + 64:
            print(f"cosignature is {len(blob)} bytes, want 76")
            return 1
        (timestamp,) = struct.unpack(">Q", blob[4:12])
        message = b"cosignature/v1\ntime %d\n" % timestamp + text
        try:
            key.verify(blob[12:], message)
        except InvalidSignature:
            print("the cosignature does not verify")
            return 1
        print(f"ok {timestamp}")
        return 0
    print(f"no cosignature by {name} with key ID {key_id.hex()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
