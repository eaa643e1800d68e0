"""What a guard looks for: a pattern of bounded length, and what of a text's end may begin it.

A :class:`Detector` is a compiled regular expression with three facts that let a guard decide
while the text streams (see ``_guard.py``):

- ``max_length``: the longest text the pattern looks at from where a match starts, lookahead
  included, so a start is decided once that many characters follow it;
- ``tail``: a pattern anchored at the end (``\\Z``) that matches from the earliest position
  where a match may still begin or grow, so only that tail is held back (without it, a guard
  holds back the last ``max_length`` characters);
- ``check``: a test a candidate must also pass (the Luhn checksum of a card number).

The built-in detectors and what they find:

- :func:`words`: words or phrases from a list, whole words by default, case-insensitive by
  default;
- :func:`api_keys`: ``sk-`` keys (OpenAI ``sk-``, ``sk-proj-``; Anthropic ``sk-ant-``) of 20 to
  200 characters after ``sk-``; Stripe ``sk_live_``, ``sk_test_``, ``rk_live_``, ``rk_test_``;
  AWS access key ids ``AKIA``/``ASIA`` + 16; GitHub tokens ``ghp_``, ``gho_``, ``ghu_``,
  ``ghs_``, ``ghr_`` + 36 or more, and ``github_pat_``; Slack ``xoxa-``, ``xoxb-``, ``xoxp-``,
  ``xoxr-``, ``xoxs-``, ``xoxo-``; Google ``AIza`` + 35. A key starts after a character that
  cannot be part of one; a body longer than the bound is matched up to the bound;
- :func:`card_numbers`: 13 to 19 digits, single spaces or dashes allowed between them, not
  inside a longer run of digits, that pass the Luhn checksum;
- :func:`emails`: ``local@domain`` with a local part of 1 to 64 characters
  (``A-Za-z0-9._%+-``) and a domain of two to eight dot-separated labels of up to 63
  characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Detector", "api_keys", "card_numbers", "emails", "luhn", "regex", "words"]


@dataclass(frozen=True, slots=True)
class Detector:
    """A pattern a guard can look for in a stream (see the module docstring)."""

    name: str
    pattern: re.Pattern[str]
    max_length: int
    tail: re.Pattern[str] | None = None
    check: Callable[[str], bool] | None = None


def _partial(literal: str) -> str:
    """A pattern for every non-empty prefix of ``literal``: ``a(?:b(?:c)?)?``."""
    pattern = ""
    for char in reversed(literal):
        pattern = re.escape(char) + (f"(?:{pattern})?" if pattern else "")
    return pattern


def regex(pattern: str | re.Pattern[str], max_length: int, *, flags: int = 0,
          name: str = "regex") -> Detector:
    """A regular expression whose matches, lookarounds included, span at most ``max_length``
    characters; the last ``max_length`` characters of a stream are held back until decided."""
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    compiled = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
    return Detector(name, compiled, max_length)


def words(items: Iterable[str], *, ignore_case: bool = True, whole_words: bool = True,
          name: str = "words") -> Detector:
    """Any of ``items``; with ``whole_words``, only where no word character (``\\w``) touches
    it on either side ("cat" is not found in "concatenate"). The list becomes a trie, so a
    position costs the length of a word to try, not the number of words."""
    trie: dict[str, Any] = {}
    longest = 0
    for word in items:
        if word:
            node = trie
            for char in word:
                node = node.setdefault(char, {})
            node[""] = {}  # a word ends here
            longest = max(longest, len(word))
    if not trie:
        raise ValueError("words() needs at least one non-empty word")
    before, after = (r"(?<!\w)", r"(?!\w)") if whole_words else ("", "")
    flags = re.IGNORECASE if ignore_case else 0
    pattern = re.compile(before + _trie_pattern(trie, False) + after, flags)
    tail = re.compile(before + _trie_pattern(trie, True) + r"\Z", flags)
    return Detector(name, pattern, longest + 1, tail)


def _trie_pattern(node: dict[str, Any], prefixes: bool, top: bool = True) -> str:
    """The words of a trie (longest first, by greedy optional groups), or with ``prefixes``
    all their non-empty prefixes."""
    branches = [re.escape(char) + _trie_pattern(child, prefixes, False)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if not top and (prefixes or "" in node):  # the text may end here
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 and not top else "(?:" + "|".join(branches) + ")"


# Each kind of key: its literal prefixes, the characters of its body, the body's length, and
# whether a key character may not follow (for keys of one exact length).
_KEY_CHARS = "A-Za-z0-9_-"
_KEYS: list[tuple[tuple[str, ...], str, int, int, bool]] = [
    (("sk-",), _KEY_CHARS, 20, 200, False),
    (("sk_live_", "sk_test_", "rk_live_", "rk_test_"), "A-Za-z0-9", 16, 200, False),
    (("AKIA", "ASIA"), "A-Z0-9", 16, 16, True),
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), "A-Za-z0-9", 36, 255, False),
    (("github_pat_",), "A-Za-z0-9_", 22, 255, False),
    (("xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "xoxo-"), "A-Za-z0-9-", 10, 200, False),
    (("AIza",), _KEY_CHARS, 35, 35, True),
]


def api_keys(name: str = "api_key") -> Detector:
    """API keys and tokens by their documented prefixes (see the module docstring)."""
    start = f"(?<![{_KEY_CHARS}])"
    kinds: list[str] = []
    tails: list[str] = []
    longest = 0
    for prefixes, body, low, high, bounded in _KEYS:
        alternatives = "|".join(map(re.escape, prefixes))
        kinds.append(f"(?:{alternatives})[{body}]{{{low},{high}}}"
                     + (f"(?![{_KEY_CHARS}])" if bounded else ""))
        # A prefix not whole yet, or whole with a body that may still grow (or, for a key of
        # one length, still be followed by a key character).
        tails += [_partial(p) for p in prefixes]
        tails.append(f"(?:{alternatives})[{body}]{{0,{high if bounded else high - 1}}}")
        longest = max(longest, max(map(len, prefixes)) + high + 1)
    pattern = re.compile(start + "(?:" + "|".join(kinds) + ")")
    tail = re.compile(start + "(?:" + "|".join(tails) + r")\Z")
    return Detector(name, pattern, longest, tail)


def luhn(number: str) -> bool:
    """The Luhn checksum of the digits in ``number`` (other characters are ignored)."""
    total = 0
    for i, char in enumerate(reversed([c for c in number if c.isdigit()])):
        digit = int(char)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def card_numbers(name: str = "card_number") -> Detector:
    """Payment card numbers: 13 to 19 digits, spaces or dashes between, Luhn-valid."""
    pattern = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
    tail = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){0,18}[ -]?\Z")
    return Detector(name, pattern, 19 + 18 + 1, tail, luhn)


_LOCAL = "A-Za-z0-9._%+-"
_LABEL = "[A-Za-z0-9-]{1,63}"


def emails(name: str = "email") -> Detector:
    """E-mail addresses (see the module docstring)."""
    start = f"(?<![{_LOCAL}])[{_LOCAL}]{{1,64}}@"
    pattern = re.compile(start + _LABEL + rf"(?:\.{_LABEL}){{1,7}}")
    longest = 64 + 1 + 63 + 7 * 64
    tail = re.compile(start.replace("@", "") + rf"(?:@[A-Za-z0-9.-]{{0,{longest - 65}}})?\Z")
    return Detector(name, pattern, longest + 1, tail)
