# SPDX-License-Identifier: Apache-2.0
"""init_logging and the binding's log records (python-uniffi-api.md section 3.18).

Logging is installed once per process. Records at or above the chosen level go to the
LogCallback, or to stderr without one. This build's records come from the binding's own
lifecycle events (a database or reader opening or closing); the engine emits none of its own
yet. A callback that raises is reported on stderr and does not affect the database.
"""

from __future__ import annotations

import sys
import threading

from ._callbacks import LogCallback, check_callback
from ._errors import Error
from ._values import LogLevel, LogRecord

_lock = threading.Lock()
_installed = False
_level = 0          # LogLevel value; 0 (OFF) until installed
_callback = None


def init_logging(level: LogLevel, callback) -> None:
    """Installs process-wide logging at `level`, delivering records to `callback` (a
    LogCallback) or to stderr if it is None. A second call raises Error.Invalid."""
    global _installed, _level, _callback
    if level.__class__ is not LogLevel:
        raise ValueError(str(level))
    if callback is not None:
        check_callback(callback, LogCallback)
    with _lock:
        if _installed:
            raise Error.Invalid("logging already initialized")
        _installed = True
        _level = level.value
        _callback = callback


def _emit(level: LogLevel, target: str, message: str, depth: int) -> None:
    if _level < level.value:
        return
    frame = sys._getframe(depth)
    module = frame.f_globals.get("__name__", "slatedb.uniffi")
    record = LogRecord(level=level, target=target, message=message, module_path=module,
                       file=frame.f_code.co_filename, line=frame.f_lineno)
    callback = _callback
    if callback is None:
        print(f"{level.name} {target}: {message}", file=sys.stderr)
        return
    try:
        callback.log(record)
    except Exception as e:  # noqa: BLE001 - a faulty callback must not break the database
        print(f"slatedb: log callback raised {e!r}", file=sys.stderr)


def info(target: str, message: str) -> None:
    _emit(LogLevel.INFO, target, message, 2)


def warn(target: str, message: str) -> None:
    _emit(LogLevel.WARN, target, message, 2)
