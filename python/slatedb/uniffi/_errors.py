# SPDX-License-Identifier: Apache-2.0
"""The exceptions of slatedb.uniffi (python-uniffi-api.md section 5).

``Error`` has one subclass per kind of failure, reached as ``Error.<Kind>``; each carries
``.message`` and ``Error.Closed`` also ``.reason``. Errors that come from the engine have
messages prefixed with their kind ("Invalid error: ..."); errors raised by this binding while
checking arguments have none ("key cannot be empty").
"""

from __future__ import annotations

_MODULE = "slatedb.uniffi"


class Error(Exception):
    """A SlateDB failure; catch a variant (Error.Invalid, Error.Closed, ...) or this base."""


def _variant(base: type, name: str, fields: tuple, doc: str) -> type:
    qualname = f"{base.__name__}.{name}"

    def _text(self):
        return ", ".join(f"{f}={getattr(self, f)!r}" for f in fields)

    def __repr__(self):
        return f"{qualname}({self._text()})"

    cls = type(name, (base,), {"_text": _text, "__repr__": __repr__, "__doc__": doc,
                               "__module__": _MODULE})
    # A real signature, so Python's own messages name a missing argument.
    namespace = {"_cls": cls}
    sets = "".join(f"    self.{f} = {f}\n" for f in fields)
    exec(f"def __init__(self, {', '.join(fields)}):\n{sets}"
         f"    super(_cls, self).__init__(self._text())\n", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    cls.__init__ = init
    cls.__qualname__ = qualname
    setattr(base, name, cls)
    return cls


Error.__module__ = _MODULE
_variant(Error, "Transaction", ("message",), "A transaction conflict: retry the transaction.")
_variant(Error, "Closed", ("reason", "message"),
         "The handle is closed (see .reason): open a new one.")
_variant(Error, "Unavailable", ("message",), "The object store is unavailable: retry later.")
_variant(Error, "Invalid", ("message",), "Bad argument, configuration or call order.")
_variant(Error, "Data", ("message",), "Stored data is missing, corrupt or incompatible.")
_variant(Error, "Internal", ("message",), "An internal error (a bug).")


class MergeOperatorCallbackError(Exception):
    """Raised by a MergeOperator to fail the read or write that needed the merge."""


MergeOperatorCallbackError.__module__ = _MODULE
_variant(MergeOperatorCallbackError, "Failed", ("message",),
         "The merge failed; the message is reported in the resulting Error.Invalid.")


class InternalError(Exception):
    """An unexpected failure inside the binding itself (not an engine error)."""


InternalError.__module__ = _MODULE

def invalid(message: str) -> Error:
    return Error.Invalid(message)


def unsupported(feature: str) -> Error:
    """The error for a part of the 0.17 API this build's engine cannot do yet."""
    return Error.Invalid(f"not supported by this build yet: {feature}")
