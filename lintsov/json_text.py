"""JSON as lintsov writes it: indented by two, UTF-8 text (no \\u escapes), key order kept,
one newline at the end."""

from __future__ import annotations

import msgspec


def dumps(document: object) -> str:
    # msgspec encodes in C; json.dumps with indent falls back to its pure-Python encoder,
    # which took 0.6 s of a 50k-resource report. The bytes are identical (tested).
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode("utf-8") + "\n"
