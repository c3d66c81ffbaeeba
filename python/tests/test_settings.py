# SPDX-License-Identifier: Apache-2.0
"""Settings from Python reach the engine by the core table's names (docs/settings.md).

Every applied setting is set through a `settings=` file and through a SLATEDB_ variable,
and the opened database is asked what it uses. Bad settings are refused with the core's
messages (the same texts the C++ and JavaScript tests check).
"""

import json

import pytest

from slatedb import InvalidError, SlateDB, WriteBatch
from slatedb import _settings
from slatedb import slatedb as _native

DEFAULTS = json.loads(_native._Settings().to_json())
APPLIED = [row for row in _settings.table()
           if row["effect"] == "applied" and not (row["type"] == "group" and not row["nullable"])]


def _at(doc, name):
    for part in name.split("."):
        doc = doc[part]
    return doc


def _nest(name, value):
    doc = value
    for part in reversed(name.split(".")):
        doc = {part: doc}
    return doc


def _sample(row):
    """A different valid value for an applied setting, from its default (as the C++ test)."""
    current = _at(DEFAULTS, row["name"])
    kind = row["type"]
    if kind == "duration":
        return "750ms" if current is None else "1s+" + current
    if kind == "integer":
        return 4321 if current is None else current + 1
    if kind == "bool":
        return not current
    if kind == "number-string":
        n = json.loads(current)
        return str(n + 1) if isinstance(n, int) else str(n + 0.5)
    if kind == "string":
        return "Zstd" if current is None else None
    return None  # a nullable group: off


def _expected(name, value):
    """What the table prints for `value` (durations and numbers normalised)."""
    s = _native._Settings()
    s.set(name, json.dumps(value))
    return json.loads(s.get(name))


def _engine_sees(db):
    return json.loads(db._settings_json())


def test_table_lists_upstream_names():
    names = {row["name"] for row in _settings.table()}
    for name in ("flush_interval", "compactor_options.worker.max_sst_size",
                 "garbage_collector_options.wal_options.min_age", "default_ttl_millis",
                 "compression_codec", "l0_max_ssts"):
        assert name in names
    assert len(APPLIED) >= 25


@pytest.mark.parametrize("row", APPLIED, ids=lambda r: r["name"])
def test_every_setting_from_a_file_reaches_the_engine(tmp_path, row):
    name, value = row["name"], _sample(row)
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(_nest(name, value)))
    db = SlateDB("db", url="memory:///", settings=str(path))
    try:
        seen = _at(_engine_sees(db), name)
        assert seen == _expected(name, value)
        assert seen != _at(DEFAULTS, name)
    finally:
        db.close()


@pytest.mark.parametrize("row", APPLIED, ids=lambda r: r["name"])
def test_every_setting_from_the_environment_reaches_the_engine(monkeypatch, row):
    name, value = row["name"], _sample(row)
    # Strings are given bare, as in a shell; anything else as JSON.
    text = value if isinstance(value, str) else json.dumps(value)
    monkeypatch.setenv("SLATEDB_" + name.upper(), text)
    db = SlateDB("db", url="memory:///")
    try:
        assert _at(_engine_sees(db), name) == _expected(name, value)
    finally:
        db.close()


def test_toml_yaml_and_the_working_directory_files(tmp_path, monkeypatch):
    toml = tmp_path / "s.toml"
    toml.write_text('flush_interval = "7ms"\n[compactor_options.worker]\nmax_sst_size = 123456\n')
    db = SlateDB("db", url="memory:///", settings=str(toml))
    seen = _engine_sees(db)
    db.close()
    assert seen["flush_interval"] == "007ms"
    assert seen["compactor_options"]["worker"]["max_sst_size"] == 123456

    yaml = tmp_path / "s.yaml"
    yaml.write_text("garbage_collector_options:\n  wal_options:\n    min_age: 2s\n")
    db = SlateDB("db", url="memory:///", settings=str(yaml))
    assert _engine_sees(db)["garbage_collector_options"]["wal_options"]["min_age"] == "2s"
    db.close()

    # Without settings=: ./SlateDb.json, then SLATEDB_ variables over it (upstream 0.11).
    (tmp_path / "SlateDb.json").write_text('{"l0_max_ssts": 9, "min_filter_keys": 5}')
    monkeypatch.setenv("SLATEDB_MIN_FILTER_KEYS", "6")
    db = SlateDB("db", url="memory:///")
    seen = _engine_sees(db)
    db.close()
    assert seen["l0_max_ssts"] == 9 and seen["min_filter_keys"] == 6
    # With settings=, only that file counts.
    db = SlateDB("db", url="memory:///", settings=str(toml))
    assert _engine_sees(db)["l0_max_ssts"] == 8
    db.close()
    # A missing file reads as empty; SLATEDB_ variables that name no setting are ignored.
    monkeypatch.setenv("SLATEDB_NOT_A_SETTING", "1")
    db = SlateDB("db", url="memory:///", settings=str(tmp_path / "missing.json"))
    db.close()


@pytest.mark.parametrize("content, message", [
    ('{"bogus": 1}', "invalid configuration format (unknown setting `bogus` in "),
    ('{"flush_interval": 5}',
     "invalid configuration format (invalid type: integer `5`, expected a string for key "
     "\"flush_interval\""),
    ('{"l0_sst_size_bytes": -1}', "invalid value: integer `-1`, expected usize"),
    ('{"compression_codec": "brotli"}',
     "unknown variant `brotli`, expected one of `Snappy`, `Zlib`, `Lz4`, `Zstd`"),
    ('{"wal_enabled": false}', "`wal_enabled` = false is not supported"),
    ('{"compactor_options": {"bogus": 1}}', "unknown setting `compactor_options.bogus`"),
    ('{"sst_block_size_bytes": 512}', "expected between 1024 and 65536"),
    ('{"l0_sst_size_bytes": 2048, "max_unflushed_bytes": 1024}',
     "`max_unflushed_bytes` must exceed l0_sst_size_bytes"),
])
def test_bad_settings_files_are_refused(tmp_path, content, message):
    path = tmp_path / "s.json"
    path.write_text(content)
    with pytest.raises(InvalidError) as err:
        SlateDB("db", url="memory:///", settings=str(path))
    assert message in str(err.value)


def test_bad_settings_from_the_environment_and_unknown_formats(tmp_path, monkeypatch):
    monkeypatch.setenv("SLATEDB_L0_SST_SIZE_BYTES", "abc")
    with pytest.raises(InvalidError, match="expected usize for key \"L0_SST_SIZE_BYTES\""):
        SlateDB("db", url="memory:///")
    monkeypatch.delenv("SLATEDB_L0_SST_SIZE_BYTES")
    with pytest.raises(InvalidError, match="unknown configuration file format"):
        SlateDB("db", url="memory:///", settings=str(tmp_path / "s.ini"))
    bad_yaml = tmp_path / "s.yml"
    bad_yaml.write_text("flush_interval: [unclosed\n")
    with pytest.raises(InvalidError, match="invalid configuration format"):
        SlateDB("db", url="memory:///", settings=str(bad_yaml))


def test_settings_object_by_name():
    s = _native._Settings()
    s.set("flushInterval", '"250ms"')
    assert json.loads(s.to_json())["flush_interval"] == "250ms"
    with pytest.raises(InvalidError, match="invalid type: integer `250`, expected a string"):
        s.set("flush_interval", "250")
    with pytest.raises(InvalidError, match="value_json is not valid JSON"):
        s.set("flush_interval", "abc")
    with pytest.raises(InvalidError, match="key invalid: unknown setting `nonexistent`"):
        s.set("nonexistent", "1")
    with pytest.raises(InvalidError, match="missing field `flush_interval`"):
        _native._Settings().merge_json("{}", "doc", True)


def test_ttl_zero_everywhere_and_default_ttl_zero(tmp_path):
    db = SlateDB("db", url="memory:///", merge_operator=lambda k, e, v: (e or b"") + v)
    db.put(b"k", b"old")
    db.put_with_options(b"k", b"new", ttl=0)
    assert db.get(b"k") is None
    db.merge_with_options(b"m", b"a", ttl=0)
    assert db.get(b"m") is None
    batch = WriteBatch()
    batch.put_with_options(b"b", b"v", ttl=0)
    batch.merge_with_options(b"bm", b"v", ttl=0)
    db.write(batch)
    assert db.get(b"b") is None and db.get(b"bm") is None
    txn = db.begin()
    txn.put_with_options(b"t", b"v", ttl=0)
    txn.commit()
    assert db.get(b"t") is None
    assert list(db.scan(b"a")) == []
    db.close()

    path = tmp_path / "s.json"
    path.write_text('{"default_ttl": 0}')  # upstream 0.11's name
    db = SlateDB("db2", url="memory:///", settings=str(path))
    db.put(b"d", b"v")
    assert db.get(b"d") is None
    db.put_with_options(b"e", b"v", ttl=2**63)  # past i64: never expires
    assert db.get(b"e") == b"v"
    db.close()


def test_error_classes_come_from_the_core_table():
    import slatedb
    tables = json.loads(_native._error_tables_json())
    assert [k["name"] for k in tables["kinds"]] == [
        "transaction", "closed", "unavailable", "invalid", "data", "internal"]
    for kind in tables["kinds"]:
        cls = getattr(slatedb, kind["pythonClass"])
        assert issubclass(cls, Exception) and cls.__bases__ == (Exception,)


def test_env_file_uses_the_core_dotenv_parser(tmp_path):
    env = tmp_path / "my.env"
    env.write_text('# comment\nexport CLOUD_PROVIDER="local"\nLOCAL_PATH=%s # trailing\n'
                   "this line is not an assignment\nAFTER_BAD=1\n" % tmp_path)
    db = SlateDB("dbenv", env_file=str(env))
    db.put(b"k", b"v")
    db.close()
    assert (tmp_path / "dbenv").is_dir()
    import os
    assert os.environ.get("AFTER_BAD") is None  # loading stops at the malformed line
    assert _native._parse_dotenv("A=1\nB='two words'\nbad\nC=3\n") == {"A": "1", "B": "two words"}
