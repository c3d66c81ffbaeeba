# SPDX-License-Identifier: Apache-2.0
"""Callback interfaces that users subclass (python-uniffi-api.md section 4).

Each base class declares the methods the engine calls; the defaults raise
NotImplementedError. Passing an object that is not an instance of the base class where one is
expected raises TypeError("Expected <Base> subclass, <Cls> found").

Each base also has an ``<Name>Impl`` subclass: the form in which an implementation made by
this package (for example a counter of DefaultMetricsRecorder) is handed to Python. It
cannot be constructed directly.
"""

from __future__ import annotations

from typing import List, Optional

_MODULE = "slatedb.uniffi"


class MergeOperator:
    """Folds merge operands: merge(key, existing_value or None, operand) -> new value.

    Called once per operand, oldest first, from engine threads. Raise
    MergeOperatorCallbackError.Failed(message) to fail the read or write that needed it.
    """

    def merge(self, key: bytes, existing_value: Optional[bytes], operand: bytes) -> bytes:
        raise NotImplementedError


class PrefixExtractor:
    """Maps keys to prefixes (segments, prefix bloom filters).

    name() is a stable identifier; prefix_len(target) returns the prefix length of
    PrefixTarget.POINT(key) or PrefixTarget.PREFIX(prefix), or None for no prefix.
    """

    def name(self) -> str:
        raise NotImplementedError

    def prefix_len(self, target) -> Optional[int]:
        raise NotImplementedError


class Counter:
    """A monotonic counter handle returned by a MetricsRecorder."""

    def increment(self, value: int) -> None:
        raise NotImplementedError


class Gauge:
    """A gauge handle returned by a MetricsRecorder."""

    def set(self, value: int) -> None:
        raise NotImplementedError


class UpDownCounter:
    """A counter that may go down, returned by a MetricsRecorder."""

    def increment(self, value: int) -> None:
        raise NotImplementedError


class Histogram:
    """A histogram handle returned by a MetricsRecorder."""

    def record(self, value: float) -> None:
        raise NotImplementedError


class MetricsRecorder:
    """Receives the database's metrics: the database registers each metric once, then
    updates the returned handles from its own threads."""

    def register_counter(self, name: str, description: Optional[str], labels: List) -> Counter:
        raise NotImplementedError

    def register_gauge(self, name: str, description: Optional[str], labels: List) -> Gauge:
        raise NotImplementedError

    def register_up_down_counter(self, name: str, description: Optional[str],
                                 labels: List) -> UpDownCounter:
        raise NotImplementedError

    def register_histogram(self, name: str, description: Optional[str], labels: List,
                           boundaries: List[float]) -> Histogram:
        raise NotImplementedError


class LogCallback:
    """Receives log records (LogRecord) once installed with init_logging."""

    def log(self, record) -> None:
        raise NotImplementedError


def _impl(base: type, methods: tuple) -> type:
    """<Base>Impl: forwards `methods` to an implementation object held by the binding."""

    def __init__(self, *args, **kwargs):
        raise ValueError("This class has no default constructor")

    ns = {"__init__": __init__, "__module__": _MODULE,
          "__doc__": f"A {base.__name__} implemented by this package."}
    for method in methods:
        def forward(self, *args, _method=method):
            return getattr(self._target, _method)(*args)
        forward.__name__ = method
        ns[method] = forward
    cls = type(f"{base.__name__}Impl", (base,), ns)
    return cls


def wrap_impl(cls: type, target) -> object:
    """An instance of the Impl class `cls` forwarding to `target`."""
    obj = object.__new__(cls)
    obj._target = target
    return obj


MergeOperatorImpl = _impl(MergeOperator, ("merge",))
PrefixExtractorImpl = _impl(PrefixExtractor, ("name", "prefix_len"))
CounterImpl = _impl(Counter, ("increment",))
GaugeImpl = _impl(Gauge, ("set",))
UpDownCounterImpl = _impl(UpDownCounter, ("increment",))
HistogramImpl = _impl(Histogram, ("record",))
MetricsRecorderImpl = _impl(MetricsRecorder, ("register_counter", "register_gauge",
                                              "register_up_down_counter", "register_histogram"))
LogCallbackImpl = _impl(LogCallback, ("log",))

for _cls in (MergeOperator, PrefixExtractor, Counter, Gauge, UpDownCounter, Histogram,
             MetricsRecorder, LogCallback):
    _cls.__module__ = _MODULE
del _cls


def check_callback(value, base: type):
    """Raises TypeError unless `value` is an instance of the callback base class `base`."""
    if not isinstance(value, base):
        raise TypeError(f"Expected {base.__name__} subclass, {type(value).__name__} found")
    return value
