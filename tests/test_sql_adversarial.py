"""The adversarial suite (sql_cases.py): every case gets its verdict under read-only, whatever
the chunking, and never a foreign exception."""

from __future__ import annotations

import pytest
from sql_cases import ALL, CLASSES, Case
from sql_support import run
from support import one_by_one

from partialjson import sql


@pytest.mark.parametrize("case", ALL, ids=[case.id for case in ALL])
def test_each_case_gets_its_verdict_under_read_only(case: Case) -> None:
    for chunks in ([case.text], one_by_one(case.text)):
        outcome = run(chunks, case.dialect, allow=sql.READ_ONLY, **case.options)
        if case.refused is None:
            assert outcome.error is None, f"{case.reason}: {outcome.error}"
        else:
            assert isinstance(outcome.error, sql.PolicyViolation), (case.reason, outcome.error)
            assert outcome.error.kind == case.refused, (case.reason, outcome.error)


def test_the_suite_covers_every_class() -> None:
    counts = {cls: sum(case.cls == cls for case in ALL) for cls in CLASSES}
    assert sum(counts.values()) >= 150, counts
    assert all(counts.values()), counts
