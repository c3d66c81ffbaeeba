# SPDX-License-Identifier: Apache-2.0
"""Settings files and SLATEDB_ variables, read the way upstream reads them.

Every value goes through the core's settings table (``_native._Settings``): this module only
turns files into JSON documents and picks the sources, so a setting is named, checked and
refused exactly as in C++ and JavaScript (docs/settings.md).

Sources, as upstream's ``Settings``:
* ``from_file(path)``: defaults, then the file (``.json``, ``.toml``, ``.yaml``/``.yml``); a
  missing file reads as empty.
* ``from_env(prefix)``: defaults, then variables ``<prefix><NAME>`` (``SLATEDB_FLUSH_INTERVAL
  =100ms``, nested names with dots: ``SLATEDB_COMPACTOR_OPTIONS.POLL_INTERVAL=1s``).
* ``load()``: defaults, then ``SlateDb.json``, ``SlateDb.toml``, ``SlateDb.yaml``,
  ``SlateDb.yml`` in the working directory (those present), then ``SLATEDB_`` variables.
"""

from __future__ import annotations

import json
import os
from typing import Any

from . import slatedb as _native

ENV_PREFIX = "SLATEDB_"
DEFAULT_FILES = ("SlateDb.json", "SlateDb.toml", "SlateDb.yaml", "SlateDb.yml")


def _bad_format(detail: Any, path: str) -> Exception:
    return _native.InvalidError(f"invalid configuration format ({detail} in {path})")


def document_from_file(path: str) -> str | None:
    """The settings in `path` as a JSON document, or None if the file does not exist."""
    lower = path.lower()
    kind = next((k for k in ("json", "toml", "yaml", "yml") if lower.endswith("." + k)), None)
    if kind is None:
        raise _native.InvalidError(f"unknown configuration file format. path=`{path}`")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise _bad_format(e, path) from None
    if kind == "json":
        return raw.decode("utf-8", errors="replace")  # parsed (and refused) by the core
    try:
        if kind == "toml":
            try:
                import tomllib as toml  # Python 3.11+
            except ModuleNotFoundError:  # pragma: no cover - Python 3.10
                import tomli as toml
            data = toml.loads(raw.decode("utf-8"))
        else:
            try:
                import yaml
            except ModuleNotFoundError:  # pragma: no cover - pyproject requires it
                raise _native.InvalidError(
                    "reading YAML settings needs PyYAML (pip install pyyaml)") from None
            data = yaml.safe_load(raw.decode("utf-8"))
            if data is None:  # an empty file
                data = {}
        return json.dumps(data)
    except _native.InvalidError:
        raise
    except Exception as e:  # a syntax error, or a value JSON cannot hold (a date)
        raise _bad_format(e, path) from None


def merge_file(settings, path: str, seed: bool = False) -> None:
    """Merges the file at `path` (if it exists) into `settings`; `seed` also takes the
    names only upstream 0.11 had (_seed_names)."""
    document = document_from_file(path)
    if document is not None:
        settings.merge_json(_seed_names(document) if seed else document, path)


def _seed_names(document: str) -> str:
    """0.11's `object_store_cache_options.cache_puts` is 0.17's `cache_on_flush` and
    `cache_on_compaction` together; everything else is named alike."""
    try:
        data = json.loads(document)
    except ValueError:
        return document  # the core refuses it with its own message
    cache = data.get("object_store_cache_options") if isinstance(data, dict) else None
    if not isinstance(cache, dict) or "cache_puts" not in cache:
        return document
    puts = cache.pop("cache_puts")
    cache.setdefault("cache_on_flush", puts)
    cache.setdefault("cache_on_compaction", puts)
    return json.dumps(data)


def from_file(path: str, seed: bool = False):
    settings = _native._Settings()
    merge_file(settings, path, seed)
    return settings


def from_env(prefix: str, settings=None):
    settings = _native._Settings() if settings is None else settings.copy()
    settings.merge_env(prefix, dict(os.environ))
    return settings


def load():
    settings = _native._Settings()
    for name in DEFAULT_FILES:
        if os.path.exists(name):
            merge_file(settings, name)
    settings.merge_env(ENV_PREFIX, dict(os.environ))
    return settings


def load_settings(kwargs: dict):
    """The settings for SlateDB(..., settings=path): that file over the defaults, or, without
    one, what load() finds (upstream 0.11 does the same)."""
    path = kwargs.get("settings")
    if path is None:
        return load()
    if not isinstance(path, str):
        # upstream 0.11's wording (its binding's failed conversion, reported as InvalidError)
        raise _native.InvalidError(f"TypeError: '{type(path).__qualname__}' object cannot be "
                                   f"converted to 'PyString'")
    return from_file(path, seed=True)


def table() -> list[dict]:
    """Every setting: name, camelName, type, nullable, effect (applied, no-effect,
    default-only), whether upstream has it, and a one-line description."""
    return json.loads(_native._settings_table_json())
