# SPDX-License-Identifier: Apache-2.0
"""Registers with the native layer what it makes for slatedb.uniffi: the factory through
which it raises Error, and the KeyValue record class it builds rows with."""

from .. import slatedb as _native
from ._errors import _KINDS, Error
from ._values import CloseReason, KeyValue


def _make_error(kind: int, reason, message: str) -> Error:
    cls = _KINDS[kind] if 0 < kind < len(_KINDS) else Error.Internal
    if cls is Error.Closed:
        return cls(CloseReason(reason), message)
    return cls(message)


_native._uniffi.set_error_factory(_make_error)
_native._uniffi.set_record_classes(KeyValue)
