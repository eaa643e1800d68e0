"""Content guards: rules checked on streamed string values and text parts before the
application sees the text.

A :class:`Guard` pairs a detector (``_detectors.py``) with an action and a scope:

- ``"stop"``: raise :class:`~partialjson.GuardViolation` (path, rule, where the match is);
- ``"redact"``: the match reaches the application as ``mask`` (``"[REDACTED]"``): in the
  ``StringDelta`` / ``TextDelta`` events, in the live value and partial object, in the final
  value;
- ``"flag"``: a :class:`~partialjson.GuardFlagged` event, just before the text it flags,
  which passes unchanged.

Theory of operation. Each guarded string (or text part) has a :class:`TextGuard`, which keeps
the text not yet released (``pending``). On each delta, every rule is asked how much of the
end of the text may still begin (or extend) a match: that tail is held back, everything before
it is decided (one search for all rules: their tails make one pattern, whose leftmost match
is the earliest). Each rule's pattern is searched from where it stopped last time; matches that
start in the decided text are final. Text is then released up to where every rule has decided
(never cutting a match), with redactions applied and flags placed, and only that reaches the
builder. The decision is made on the text itself, so it is the same however the text is
split; held text is released as soon as it can no longer be part of a match, or at the
string's end. A delta costs its length plus the held tail (at most a rule's ``max_length``),
never what was released before: only a few characters are kept for lookbehinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from . import _detectors
from ._detectors import Detector
from ._errors import GuardViolation
from ._events import GuardFlagged, Path

Action = Literal["stop", "redact", "flag"]
Scope = tuple[str | int, ...] | Literal["text"]

_ACTIONS = ("stop", "redact", "flag")
_CONTEXT = 16  # released characters kept for the lookbehinds of the patterns


class Guard:
    """A rule over streamed text: a detector, an action and a scope.

    Args:
        detector: what to look for; or use the constructors :meth:`words`, :meth:`regex`,
            :meth:`api_keys`, :meth:`card_numbers`, :meth:`emails`.
        action: ``"stop"``, ``"redact"`` (default) or ``"flag"``.
        scope: where it applies. ``None`` (default): every string value and every text part.
            A path such as ``("answer",)`` or ``("items", "*", "note")``: the string at that
            path or anywhere inside the value there; ``"*"`` matches any key or index, ``()``
            every string of the JSON. ``"text"``: the text parts of a bridge stream (text,
            thinking, refusals, and prose around an output's JSON). Or a list of these.
        mask: what a redacted match becomes.
        name: the rule's name in violations and events (default: the detector's).
    """

    __slots__ = ("action", "detector", "mask", "name", "paths", "text_parts")

    def __init__(self, detector: Detector, action: Action = "redact", *,
                 scope: Scope | Sequence[Scope] | None = None, mask: str = "[REDACTED]",
                 name: str | None = None) -> None:
        if action not in _ACTIONS:
            raise ValueError(f"action must be one of {_ACTIONS}, not {action!r}")
        self.detector = detector
        self.action = action
        self.mask = mask
        self.name = name or detector.name
        self.paths: list[tuple[str | int, ...]] | None = None  # None: every JSON string
        self.text_parts = scope is None  # covers the text parts of bridge streams
        if scope is not None:
            self.paths = []
            scopes = [scope] if isinstance(scope, (tuple, str)) else list(scope)
            for one in scopes:
                if one == "text":
                    self.text_parts = True
                elif isinstance(one, tuple):
                    self.paths.append(one)
                else:
                    raise ValueError(f"a scope is a path tuple or 'text', not {one!r}")

    @classmethod
    def words(cls, items: Iterable[str], action: Action = "redact", *, ignore_case: bool = True,
              whole_words: bool = True, **options: Any) -> Guard:
        """Words or phrases from a list (see :func:`partialjson._detectors.words`)."""
        return cls(_detectors.words(items, ignore_case=ignore_case, whole_words=whole_words),
                   action, **options)

    @classmethod
    def regex(cls, pattern: Any, action: Action = "redact", *, max_length: int,
              flags: int = 0, **options: Any) -> Guard:
        """A regular expression whose matches (lookarounds included) span at most
        ``max_length`` characters."""
        return cls(_detectors.regex(pattern, max_length, flags=flags), action, **options)

    @classmethod
    def api_keys(cls, action: Action = "redact", **options: Any) -> Guard:
        """API keys and tokens (OpenAI, Anthropic, AWS, GitHub, Stripe, Slack, Google)."""
        return cls(_detectors.api_keys(), action, **options)

    @classmethod
    def card_numbers(cls, action: Action = "redact", **options: Any) -> Guard:
        """Payment card numbers (13 to 19 digits, Luhn-checked)."""
        return cls(_detectors.card_numbers(), action, **options)

    @classmethod
    def emails(cls, action: Action = "redact", **options: Any) -> Guard:
        """E-mail addresses."""
        return cls(_detectors.emails(), action, **options)

    def covers(self, path: Path) -> bool:
        """Does the rule apply to the string at ``path``?"""
        scopes = self.paths
        if scopes is None:
            return True
        for scope in scopes:
            if len(path) >= len(scope):
                keys = path.as_tuple()
                if all(want == "*" or want == key for want, key in zip(scope, keys, strict=False)):
                    return True
        return False

    def __repr__(self) -> str:
        return f"Guard({self.name!r}, {self.action!r})"


class Guards:
    """A stream's guards: a :class:`TextGuard` for each string or text part they cover."""

    __slots__ = ("_holds", "guards", "redacted")

    def __init__(self, guards: Iterable[Guard]) -> None:
        self.guards = tuple(guards)
        self.redacted = False  # a match was redacted: the raw text differs from the value
        self._holds: dict[tuple[int, ...], _Hold] = {}

    def for_path(self, path: Path) -> TextGuard | None:
        covering = [g for g in self.guards if g.covers(path)]
        return TextGuard(covering, self._hold(covering), path, self) if covering else None

    def for_text(self, part: Any) -> TextGuard | None:
        covering = [g for g in self.guards if g.text_parts]
        return TextGuard(covering, self._hold(covering), Path(), self, part) if covering else None

    def _hold(self, covering: list[Guard]) -> _Hold:
        """What a set of rules holds back: one pattern of all their tails, whose leftmost
        match is the earliest place any of them may still begin a match, and the bound of
        the rules without a tail (which hold back that many characters)."""
        key = tuple(map(id, covering))
        hold = self._holds.get(key)
        if hold is None:
            detectors = [g.detector for g in covering]
            tails = [f"(?i:{d.tail.pattern})" if d.tail.flags & re.IGNORECASE
                     else f"(?:{d.tail.pattern})" for d in detectors if d.tail is not None]
            bounds = [d.max_length for d in detectors if d.tail is None]
            hold = self._holds[key] = (re.compile("|".join(tails)) if tails else None,
                                       max(bounds, default=0))
        return hold


_Hold = tuple["re.Pattern[str] | None", int]


class _Rule:
    """A guard's progress through one text: where its pattern's search resumes."""

    __slots__ = ("detector", "guard", "scan")

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.detector = guard.detector
        self.scan = 0


Piece = str | GuardFlagged


class TextGuard:
    """The guards of one string or text part, as it streams (see the module docstring).

    ``feed(text)`` and ``end()`` return what may be shown now: text (masked where redacted)
    and :class:`GuardFlagged` events, in order; they raise :class:`GuardViolation` for a stop.
    Offsets (``start``, ``end``) count characters of the text as received, before redaction.
    """

    __slots__ = ("_base", "_bound", "_context", "_found", "_owner", "_pending", "_rules",
                 "_tail", "part", "path")

    def __init__(self, guards: list[Guard], hold: _Hold, path: Path, owner: Guards,
                 part: Any = None) -> None:
        self._rules = [_Rule(g) for g in guards]
        self._tail, self._bound = hold
        self.path = path
        self.part = part
        self._owner = owner
        self._pending = ""  # received, not released
        self._base = 0  # offset of pending in the text
        self._context = ""  # the released characters just before pending
        self._found: list[tuple[int, int, Guard]] = []  # decided matches not yet released

    @property
    def held(self) -> str:
        """The text received and not released yet (raw)."""
        return self._pending

    def feed(self, text: str) -> list[Piece]:
        self._pending += text
        return self._advance(False)

    def end(self) -> list[Piece]:
        return self._advance(True)

    def _advance(self, final: bool) -> list[Piece]:
        pending, context, base = self._pending, self._context, self._base
        text = context + pending
        shift = base - len(context)  # offset in the whole text of text[0]
        size = base + len(pending)
        found = self._found
        decided = size  # everything before it is decided, for every rule
        if not final:
            if self._tail is not None:
                held = self._tail.search(text, len(context))
                if held is not None:
                    decided = held.start() + shift
            decided = min(decided, size - min(len(pending), self._bound))
        for rule in self._rules:
            if rule.scan < decided:  # starts newly decided: look for matches there
                check = rule.detector.check
                for match in rule.detector.pattern.finditer(text, rule.scan - shift):
                    start, end = match.start() + shift, match.end() + shift
                    if start >= decided:
                        break
                    if end > decided:  # decided for this rule, not for all: wait
                        decided = start
                        break
                    if end > start and (check is None or check(match.group())):
                        found.append((start, end, rule.guard))
                rule.scan = decided
        if not found:  # the usual case: release all that is decided, as it is
            raw = self._move(decided, text, shift)
            return [raw] if raw else []
        found.sort(key=lambda m: (m[0], -m[1]))
        for start, end, guard in found:
            if start >= decided:
                break
            if guard.action == "stop":
                raise GuardViolation(self.path.as_tuple(), guard.name, start, end, self.part)
        release = decided
        for start, end, _ in found:  # never release part of a match
            if start < release < end:
                release = start
        ready = [m for m in found if m[0] < release]
        self._found = found[len(ready):]
        return self._release(base, self._move(release, text, shift), ready)

    def _move(self, release: int, text: str, shift: int) -> str:
        """Release up to offset ``release``: return the raw text released."""
        if release <= self._base:
            return ""
        cut = release - shift  # in text
        raw = self._pending[: release - self._base]
        self._context = text[max(0, cut - _CONTEXT) : cut]
        self._pending = text[cut:]
        self._base = release
        return raw

    def _release(self, base: int, raw: str, ready: list[tuple[int, int, Guard]]) -> list[Piece]:
        """The pieces shown for ``raw`` (the text from offset ``base``), with the ``ready``
        matches in it applied."""
        out: list[Piece] = []
        shown = ""
        at = base  # the next character not yet shown
        masked_to = base  # the end of the last redaction
        for start, end, guard in ready:
            if start < masked_to and guard.action == "redact":  # overlaps it: extends it
                at = masked_to = max(masked_to, end)
                continue
            if start > at:
                shown += raw[at - base : start - base]
                at = start
            if guard.action == "flag":
                if shown:
                    out.append(shown)
                    shown = ""
                out.append(GuardFlagged(self.path, guard.name, start, end, self.part))
            else:
                shown += guard.mask
                at = masked_to = end
                self._owner.redacted = True
        shown += raw[at - base :]
        if shown:
            out.append(shown)
        return out
