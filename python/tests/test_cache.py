# SPDX-License-Identifier: Apache-2.0
"""The persistent object-store cache through settings (object_store_cache_options)."""
import json
import os

import pytest

from slatedb import InvalidError, SlateDB, WriteBatch


def settings_file(tmp_path, options, name="settings.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"object_store_cache_options": options}))
    return str(path)


def test_a_restarted_handle_reads_its_ssts_from_the_cache(tmp_path):
    url = f"file://{tmp_path}/store"
    cache = tmp_path / "cache"
    settings = settings_file(tmp_path, {"root_folder": str(cache), "part_size_bytes": 65536})
    with SlateDB("db", url=url, settings=settings) as db:
        batch = WriteBatch()
        for i in range(3000):
            batch.put(b"key%05d" % i, b"value%05d" % i)
        db.write(batch)
        db.flush_with_options("memtable")
        assert db.get(b"key00001") == b"value00001"
        first = db.cache_stats()
        assert first["reads_missed"] >= 1 and first["parts_fetched"] >= 1
    assert any(name.endswith((".part", ".last")) for _, _, files in os.walk(cache) for name in files)

    with SlateDB("db", url=url, settings=settings) as db:
        for i in range(0, 3000, 97):
            assert db.get(b"key%05d" % i) == b"value%05d" % i
        stats = db.cache_stats()
        assert stats["reads_hit"] >= 1
        assert stats["entries"] >= 1 and 0 < stats["used_bytes"] <= stats["max_bytes"]


def test_cache_puts_of_0_11_caches_what_is_flushed(tmp_path):
    # 0.11.1's one switch for caching writes: the flushed SST is on disk before any read,
    # so reading it back makes no request to the store.
    settings = settings_file(tmp_path, {"root_folder": str(tmp_path / "cache"), "cache_puts": True})
    with SlateDB("db", url=f"file://{tmp_path}/store", settings=settings) as db:
        db.put(b"k", b"v")
        db.flush_with_options("memtable")
        assert db.cache_stats()["parts_written"] >= 1
        assert db.get(b"k") == b"v"
        stats = db.cache_stats()
        assert stats["reads_missed"] == 0 and stats["reads_hit"] >= 1


def test_without_root_folder_there_is_no_cache(tmp_path):
    settings = settings_file(tmp_path, {"root_folder": None, "max_cache_size_bytes": 1 << 20})
    with SlateDB("db", url="memory:///", settings=settings) as db:
        db.put(b"k", b"v")
        assert db.cache_stats() == {}


def test_upstream_keys_are_accepted_and_bad_values_refused(tmp_path):
    toml = tmp_path / "settings.toml"
    toml.write_text(f'[object_store_cache_options]\nroot_folder = "{tmp_path / "c"}"\n'
                    'scan_interval = "3600s"\nmax_open_file_handles = 1000\ncache_on_flush = true\n')
    with SlateDB("db", url="memory:///", settings=str(toml)) as db:
        db.put(b"k", b"v")
        db.flush_with_options("memtable")
        assert db.get(b"k") == b"v"
        assert db.cache_stats()["max_bytes"] == 16 << 30
    for bad in ({"root_folder": 5}, {"root_folder": str(tmp_path), "part_size_bytes": -1},
                {"root_folder": str(tmp_path), "cache_on_flush": "yes"},
                {"root_folder": str(tmp_path), "cache_puts": "zz"},
                {"root_folder": str(tmp_path), "nonsense": 1},
                {"root_folder": str(tmp_path), "part_size_bytes": 1 << 20,
                 "max_cache_size_bytes": 1024}):
        with pytest.raises(InvalidError):
            SlateDB("db", url="memory:///", settings=settings_file(tmp_path, bad, "bad.json"))
