"""Coverage-guided fuzzing of partialjson with atheris (libFuzzer).

    python fuzz/fuzz_atheris.py [corpus_dir] -atheris_runs=200000
    python fuzz/fuzz_atheris.py --seed SRC_DIR corpus_dir   # make seeds from JSON files

An input is read from its end: the last byte holds flags (low 3 bits: the number of cuts; bit 3:
``allow_nan``), the 2 bytes per cut before it give the cut points, and the rest is the document.
A file with a zero byte appended is therefore that whole document, uncut.
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports():
    import partialjson  # noqa: F401  (instrumented for coverage)

from harness import check


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    flags = fdp.ConsumeIntInRange(0, 15)
    cut_seeds = [fdp.ConsumeIntInRange(0, 0xFFFF) for _ in range(flags & 7)]
    document = fdp.ConsumeBytes(fdp.remaining_bytes())
    cuts = [seed % (len(document) + 1) for seed in cut_seeds]
    check(document, cuts, allow_nan=bool(flags & 8))


def make_seeds(source: str, target: str) -> None:
    """Copy every file of ``source`` into ``target`` with the "no cuts" trailer appended."""
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), "rb") as file:
            document = file.read()
        with open(os.path.join(target, name), "wb") as file:
            file.write(document + b"\0")


def main() -> None:
    if sys.argv[1:2] == ["--seed"]:
        make_seeds(sys.argv[2], sys.argv[3])
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
