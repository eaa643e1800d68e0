"""Build script: the hot modules compiled with mypyc, when it can.

The JSON core and the schema layer are plain, fully typed Python. mypyc compiles those same
files to C extensions (2x to 3x less CPU per chunk); where that is not possible (no C compiler,
or mypy finds the build environment's packages changed under the code) or not wanted
(``PARTIALJSON_PURE=1``), the package installs as pure Python and behaves the same. Everything
else about the package is in pyproject.toml.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

# The modules a chunk passes through, in the order of the layers.
COMPILED = [
    "partialjson/_scanner.py",
    "partialjson/_builder.py",
    "partialjson/_received.py",
    "partialjson/_stream.py",
    "partialjson/_extract.py",
    "partialjson/schema/_nodes.py",
    "partialjson/schema/_pydantic.py",
    "partialjson/schema/_jsonschema.py",
    "partialjson/schema/_jsonschema_validator.py",
    "partialjson/_model.py",
]


def compiled_extensions() -> list[object]:
    if os.environ.get("PARTIALJSON_PURE") or sys.implementation.name != "cpython":
        return []
    try:
        from mypyc.build import mypycify

        # The build type-checks against whatever pydantic it installed: a stale ignore
        # comment there is no reason not to compile.
        extensions = mypycify(["--no-warn-unused-ignores", *COMPILED], opt_level="3",
                              group_name="partialjson")
    except (Exception, SystemExit) as exc:  # mypyc exits on a type error
        print(f"partialjson: not compiled ({exc!r}); installing pure Python", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True  # no C compiler: warn and install pure Python
    return extensions


setup(ext_modules=compiled_extensions())
