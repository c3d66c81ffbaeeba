# SPDX-License-Identifier: Apache-2.0
"""Registers the factory through which the native layer raises slatedb.uniffi.Error."""

from .. import slatedb as _native
from ._errors import _KINDS, Error
from ._values import CloseReason


def _make_error(kind: int, reason, message: str) -> Error:
    cls = _KINDS[kind] if 0 < kind < len(_KINDS) else Error.Internal
    if cls is Error.Closed:
        return cls(CloseReason(reason), message)
    return cls(message)


_native._uniffi.set_error_factory(_make_error)
