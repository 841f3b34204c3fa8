#!/usr/bin/env python3
"""Writes every INPUT of tests/cases/*.txt as a seed file for the fuzzers.

The case format is tests/cases/README.md: `INPUT => EXPECTED`, split at the
last ` => `; `\\xHH` is a byte, `\\[TEXT]*N` repeats TEXT N times, `""`
alone is the empty line, any other backslash is literal. Cases after an
`@ template` directive are template lines, the others request lines.

    python3 fuzz/make_seeds.py OUT_DIR

writes OUT_DIR/request/ (for classify_bytes and differential) and
OUT_DIR/template/ (for template_bytes: template lines and request lines
alike), one file per distinct input, named by a hash of its bytes. The
committed fuzz/corpus/<target>/seeds/ is this output minimized with `cargo fuzz cmin` (see
fuzz/README.md); rerun both after adding many cases.
"""

import hashlib
import pathlib
import re
import sys


def unescape(text: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\":
            hexpart = text[i + 2 : i + 4]
            if text[i + 1 : i + 2] == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", hexpart):
                out.append(int(hexpart, 16))
                i += 4
                continue
            if text[i + 1 : i + 2] == "[":
                close = text.index("]*", i)
                inner = text[i + 2 : close]
                digits = re.match(r"\d+", text[close + 2 :]).group(0)
                out += unescape(inner) * int(digits)
                i = close + 2 + len(digits)
                continue
        out += text[i].encode()
        i += 1
    return bytes(out)


def cases(path: pathlib.Path):
    template = False
    # Like Rust's str::lines: `\n` ends a line, a `\r` before it is dropped
    # (Python's splitlines would also split at \x0b, \x1c, U+2028, ...).
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.removesuffix("\r")
        trimmed = line.strip()
        if not trimmed or trimmed.startswith("#"):
            continue
        if trimmed.startswith("@"):
            template = "template" in trimmed[1:].split()
            continue
        field = line.rsplit(" => ", 1)[0].strip()
        yield template, (b"" if field == '""' else unescape(field))


def main() -> None:
    root = pathlib.Path(__file__).resolve().parent.parent
    out = pathlib.Path(sys.argv[1])
    seen = {"request": set(), "template": set()}
    for path in sorted((root / "tests" / "cases").glob("*.txt")):
        for template, data in cases(path):
            kinds = ["template"] if template else ["request", "template"]
            for kind in kinds:
                seen[kind].add(data)
    for kind, inputs in seen.items():
        folder = out / kind
        folder.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            name = hashlib.sha1(data).hexdigest()
            (folder / name).write_bytes(data)
        print(f"{folder}: {len(inputs)} inputs")


if __name__ == "__main__":
    main()
