"""Per-field streaming directives: what a partial object shows of a field while it streams.

``Annotated[T, pj.Stream(done=True)]`` on a pydantic field, or ``"x-partialjson": {"done": true}``
in a JSON Schema: the schema compilers attach the directive to the field's node, and the model
stream reads it there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stream:
    """How a field streams.

    - ``done``: show the value only once it is complete (a string, list or nested model appears
      whole, never growing);
    - ``not_null``: the object holding this field is not shown until this field has a value;
    - ``deltas``: with False, no ``StringDelta`` events for this field (its ``ValueCompleted``
      still comes).
    """

    done: bool = False
    not_null: bool = False
    deltas: bool = True
