# SPDX-License-Identifier: Apache-2.0
"""The two shapes of plain data in slatedb.uniffi: records and tagged unions.

Records are keyword-only dataclasses. As upstream's generated classes, their ``str()`` lists
the fields (each shown with ``str()``), their ``repr()`` is the bare ``Name()``, equality is
field by field (comparing with an object that lacks a field raises AttributeError) and they
are unhashable.

A tagged union is a base class that cannot be instantiated plus one subclass per variant,
reachable as ``Union.VARIANT``. Positional variants hold a tuple read with ``v[i]``; named
variants expose their fields as attributes. Every base has ``is_<VARIANT>()`` and
``is_<variant>()`` predicates.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Dict, Sequence, Tuple

_REQUIRED = object()  # marks a record field without a default


def _record_str(self) -> str:
    parts = ", ".join(f"{f}={getattr(self, f)}" for f in self.__class__._FIELDS)
    return f"{self.__class__.__name__}({parts})"


def _record_repr(self) -> str:
    return f"{self.__class__.__name__}()"


def _record_eq(self, other: Any) -> bool:
    for f in self.__class__._FIELDS:
        if getattr(self, f) != getattr(other, f):
            return False
    return True


def record(name: str, fields: Sequence[Tuple[str, Any]], doc: str) -> type:
    """A record class `name` whose keyword-only fields are `fields`, in order.

    Each field is (name, default); use _REQUIRED for a field that must be given.
    """
    spec = []
    for field_name, default in fields:
        if default is _REQUIRED:
            spec.append((field_name, Any))
        else:
            spec.append((field_name, Any, dataclasses.field(default=default)))
    cls = dataclasses.make_dataclass(
        name, spec, kw_only=True, eq=False, repr=False,
        namespace={
            "__str__": _record_str,
            "__repr__": _record_repr,
            "__eq__": _record_eq,
            "__ne__": lambda self, other: not _record_eq(self, other),
            "__hash__": None,
            "_FIELDS": tuple(f for f, _ in fields),
        })
    cls.__doc__ = doc
    cls.__module__ = __name__.rsplit(".", 1)[0]
    return cls


def new_record(cls: type, **values: Any) -> Any:
    """Builds a record without running __init__ (for results made in bulk)."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


# --------------------------------------------------------------------------------------------
# Tagged unions

def _snake(variant: str) -> str:
    return variant.lower()


def _cannot_instantiate(self, *args, **kwargs):
    raise RuntimeError(f"{type(self).__name__} cannot be instantiated directly")


def _tuple_init(qualname: str, arity: int) -> Callable:
    def __init__(self, *values):
        if len(values) != arity:
            raise TypeError(f"Expected {arity} arguments, found {len(values)}")
        self._values = values
    __init__.__qualname__ = f"{qualname}.__init__"
    return __init__


def _tuple_getitem(self, index):
    return self._values[index]


def _tuple_str(self) -> str:
    return f"{type(self).__name__}{self._values}"


def _tuple_eq(self, other: Any) -> bool:
    return type(other) is type(self) and self._values == other._values


def _named_init(qualname: str, fields: Sequence[str]) -> Callable:
    # A real signature, so Python's own messages name the missing argument.
    params = ", ".join(fields)
    body = "".join(f"    self.{f} = {f}\n" for f in fields) or "    pass\n"
    namespace: Dict[str, Any] = {}
    exec(f"def __init__(self{', ' if fields else ''}{params}):\n{body}", namespace)
    fn = namespace["__init__"]
    fn.__qualname__ = f"{qualname}.__init__"
    return fn


def _named_str(self) -> str:
    parts = ", ".join(f"{f}={getattr(self, f)}" for f in self._FIELDS)
    return f"{type(self).__name__}({parts})"


def _named_eq(self, other: Any) -> bool:
    return type(other) is type(self) and all(
        getattr(self, f) == getattr(other, f) for f in self._FIELDS)


def _bare_repr(self) -> str:
    return f"{type(self).__name__}()"


def tagged_union(name: str, variants: Sequence[Tuple[str, Any]], doc: str) -> type:
    """A union `name`. Each variant is (NAME, shape): an int N for a positional variant
    holding N values (0 for no data), or a tuple of field names for a named variant."""
    module = __name__.rsplit(".", 1)[0]
    base_ns: Dict[str, Any] = {"__init__": _cannot_instantiate, "__doc__": doc,
                               "__module__": module, "__hash__": None}
    for variant, _ in variants:
        def predicate(self, _variant=variant):
            return type(self).__name__ == f"{name}.{_variant}"
        base_ns[f"is_{variant}"] = predicate
        base_ns[f"is_{_snake(variant)}"] = predicate
    base = type(name, (), base_ns)
    for variant, shape in variants:
        qualname = f"{name}.{variant}"
        ns: Dict[str, Any] = {"__module__": module, "__repr__": _bare_repr, "__hash__": None}
        if isinstance(shape, int):
            if shape == 0:
                ns["__init__"] = _named_init(qualname, ())
                ns["_FIELDS"] = ()
                ns["__str__"] = _named_str
                ns["__eq__"] = _named_eq
            else:
                ns["__init__"] = _tuple_init(qualname, shape)
                ns["__getitem__"] = _tuple_getitem
                ns["__str__"] = _tuple_str
                ns["__eq__"] = _tuple_eq
        else:
            ns["__init__"] = _named_init(qualname, shape)
            ns["_FIELDS"] = tuple(shape)
            ns["__str__"] = _named_str
            ns["__eq__"] = _named_eq
        ns["__ne__"] = lambda self, other: not self.__eq__(other)
        cls = type(qualname, (base,), ns)
        cls.__qualname__ = qualname
        setattr(base, variant, cls)
    return base
