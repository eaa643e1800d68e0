"""The adversarial suite of the SQL guard: cases by threat class (``notes/sql_threats.md``).

Each case is a text an engine (or a command-line client) reads in a documented way, and the
verdict a read-only policy (``allow=READ_ONLY``) must give: refused, with the kind the
violation names, or allowed (a read that must pass: false positives are failures too). The
cases live in one module per area, each a list ``CASES``; ``ALL`` gathers them.
test_sql_adversarial.py checks every verdict under every chunking; test_sql_differential.py
runs every allowed case that has an engine on the real engine and asserts nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CLASSES = (
    "lexing",  # 1. the splitter and the engine disagree on where text ends
    "boundaries",  # 2. statements that start without ';'
    "client",  # 3. client meta-commands
    "function",  # 4. side effects inside a SELECT
    "hidden effect",  # 5. kinds with hidden effects
    "false positive",  # 6. reads that must pass
    "crash",  # 7. no foreign exception, whatever the input
)


@dataclass(frozen=True)
class Case:
    cls: str  # one of CLASSES
    dialect: str
    text: str
    refused: str | None  # the PolicyViolation's kind under read-only, or None: allowed
    reason: str  # the engine's (or client's) documented behaviour that makes it so
    options: dict[str, Any] = field(default_factory=dict)  # SqlStream options: client=...

    def __post_init__(self) -> None:
        assert self.cls in CLASSES, self.cls

    @property
    def id(self) -> str:
        return f"{self.cls}/{self.dialect}: {self.text[:48]!r}"


def _gather() -> list[Case]:
    cases: list[Case] = []
    for name in ("sql_cases_lexing", "sql_cases_semantics"):
        try:
            module = __import__(name)
        except ModuleNotFoundError:
            continue
        cases += module.CASES
    return cases


ALL: list[Case] = _gather()
