# SPDX-License-Identifier: Apache-2.0
"""Registers with the native layer what it makes for slatedb.uniffi: the factory through
which it raises Error, and the KeyValue record class it builds rows with."""

from .. import slatedb as _native
from ._errors import Error
from ._values import CloseReason, KeyValue


def _make_error(variant: str, reason, message: str) -> Error:
    """`variant`: the kind's name in the core's error table (slatedb/error_kinds.h)."""
    cls = getattr(Error, variant, Error.Internal)
    if cls is Error.Closed:
        return cls(CloseReason(reason), message)
    return cls(message)


_native._uniffi.set_error_factory(_make_error)
_native._uniffi.set_record_classes(KeyValue)
