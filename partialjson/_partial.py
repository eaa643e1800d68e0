"""Partial models: for a model ``M``, a model with the same fields, aliases and config where
every field is optional and ``None`` until seen, and nested models are partial too.

A partial object holds only validated data: a field is a finished value exactly as pydantic
validated it (so a finished nested model is an instance of the real model), or, while it is
still arriving, a partial object, a list of what is known so far, or a string's valid prefix.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar, Union, cast

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.fields import FieldInfo
from typing_extensions import is_typeddict

_T = TypeVar("_T")

_models: dict[Any, type[BaseModel]] = {}
_building: dict[Any, str] = {}  # classes whose partial model is being made, and its name
_CONFIG_KEPT = ("extra", "populate_by_name", "validate_by_name", "validate_by_alias",
                "serialize_by_alias", "alias_generator", "arbitrary_types_allowed")


def partial_model(cls: Any) -> type[BaseModel]:
    """The partial model of a pydantic model or dataclass (cached per class)."""
    found = _models.get(cls)
    if found is not None:
        return found
    name = "Partial" + cls.__name__
    _building[cls] = name
    try:
        model = _make(cls, name)
    finally:
        del _building[cls]
    _models[cls] = model
    # Recursive models refer to partial models by name: resolve what can be now.
    names = {m.__name__: m for m in _models.values()}
    for made in _models.values():
        if not made.__pydantic_complete__:
            made.model_rebuild(_types_namespace=names, raise_errors=False)
    return model


def _make(cls: Any, name: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls, include_extras=True)
        for field in dataclasses.fields(cls):
            fields[field.name] = (Optional[partial_annotation(hints[field.name])], None)  # noqa: UP045
        config = ConfigDict(arbitrary_types_allowed=True)
    else:
        for field_name, info in cls.model_fields.items():
            fields[field_name] = (
                Optional[partial_annotation(info.annotation)],  # noqa: UP045
                FieldInfo(default=None, alias=info.alias, validation_alias=info.validation_alias,
                          serialization_alias=info.serialization_alias),
            )
        kept = {k: v for k, v in cls.model_config.items() if k in _CONFIG_KEPT}
        config = cast(ConfigDict, {**kept, "arbitrary_types_allowed": True})
    model: type[BaseModel] = create_model(
        name, __config__=config, __module__=cls.__module__, **fields)
    model.__doc__ = f"{cls.__name__} as it streams: every field optional, None until seen."
    return model


def new_partial(model: type[BaseModel]) -> Any:
    """An instance of partial model ``model`` with every field None and none of them set
    (what ``model_construct()`` gives, without its per-call overhead)."""
    instance = model.__new__(model)
    setattr_ = object.__setattr__
    setattr_(instance, "__dict__", dict.fromkeys(model.__pydantic_fields__))
    setattr_(instance, "__pydantic_fields_set__", set())
    extra: dict[str, Any] | None = {} if model.model_config.get("extra") == "allow" else None
    setattr_(instance, "__pydantic_extra__", extra)
    setattr_(instance, "__pydantic_private__", None)
    return instance


def partial_annotation(annotation: Any) -> Any:
    """The type a partial field holds for a field of type ``annotation``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        return partial_annotation(args[0])  # constraints hold only for finished values
    if is_typeddict(annotation):
        return dict[str, Any]  # a TypedDict streams as a dict of what is known so far
    if isinstance(annotation, type) and (
        issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation)
    ):
        if issubclass(annotation, BaseModel) and annotation.model_fields.keys() == {"root"}:
            return annotation  # a root model appears whole
        if annotation in _building:  # a recursive reference: by name, resolved later
            return Union[typing.ForwardRef(_building[annotation]), annotation]  # noqa: UP007
        return Union[partial_model(annotation), annotation]  # noqa: UP007
    if origin is list:
        return list[partial_annotation(args[0]) if args else Any]  # type: ignore[misc]
    if origin in (set, frozenset, tuple):  # a list while it streams, then the finished value
        return Union[list[Any], annotation]  # noqa: UP007
    if origin is dict:
        return dict[args[0], partial_annotation(args[1])]  # type: ignore[misc,valid-type]
    if origin in (Union, types.UnionType):
        return Union[tuple(partial_annotation(a) for a in args)]  # noqa: UP007
    return annotation


def partial_type(annotation: Any) -> Any:
    """``Partial[T]`` at runtime: the partial model of a model, else the partial annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return partial_model(annotation)
    return partial_annotation(annotation)


if TYPE_CHECKING:
    # For a type checker, a partial object has the fields of the model it stands for (each of
    # them may still be None at runtime).
    Partial = Annotated[_T, "partial"]
else:

    class Partial:
        """``Partial[Model]``: the partial model of ``Model`` (see :func:`partial_model`)."""

        def __class_getitem__(cls, item: Any) -> Any:
            return partial_type(item)
