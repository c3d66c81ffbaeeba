#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# Writes the byte fixtures in this folder with upstream SlateDB (the slatedb 0.17.0 wheel:
# `pip install slatedb==0.17.0`, then `python make_fixtures.py <this folder>`). They are data
# for tests/format/upstream_fixture_test.cc, which checks that we decode what upstream
# wrote; the rows each one holds are the formulas below, mirrored in that test. Timestamps
# come from the clock, so tests check their relations, not their values.
#
#   l0_<codec>.sst       an L0 SST (block size 1 KiB, filter from 10 rows) of rows():
#                        key000..key{n-1} = value_of(i) (TTL 1 h for every 7th), tombstones
#                        for key005 and key010, merge operands "a", "b", "c" on "mkey";
#                        n = 60 uncompressed, 20 per codec
#   wal.sst              the WAL SST holding put("wal1", "x"), delete("wal2"), merge("wal3","m")
#   manifest_l0.manifest the manifest after that flush, with a named checkpoint "cp1"
#   manifest_compacted.manifest, compactions.compactions
#                        a database after a compaction of two L0s into sorted run 0
import asyncio
import glob
import os
import shutil
import sys
import tempfile
import time

from slatedb.uniffi import (Admin, AdminBuilder, CheckpointOptions, CompactionSpec, DbBuilder,
                            FlushOptions, FlushType, MergeOperator, MergeOptions, ObjectStore,
                            PutOptions, Settings, SourceId, SstBlockSize, Ttl, WriteOptions)


class Concat(MergeOperator):
    def merge(self, key, existing_value, operand):
        return (existing_value or b"") + operand


def value_of(i):
    return b"value-%03d-" % i + b"x" * (i % 5)


async def open_db(path, codec):
    store = ObjectStore.resolve("file:///")
    builder = DbBuilder(path, store)
    settings = Settings.default()
    settings.set("min_filter_keys", "10")
    if codec != "none":
        settings.set("compression_codec", '"%s"' % codec.capitalize())
    builder.with_settings(settings)
    builder.with_sst_block_size(SstBlockSize.BLOCK1_KIB)
    builder.with_merge_operator(Concat())
    return store, await builder.build()


async def write_rows(db, n):
    for i in range(n):
        ttl = Ttl.EXPIRE_AFTER_MILLIS(3_600_000) if i % 7 == 0 else Ttl.DEFAULT()
        await db.put_with_options(b"key%03d" % i, value_of(i), PutOptions(ttl=ttl),
                                  WriteOptions(seqnum=0))
    await db.delete(b"key005")
    await db.delete(b"key010")
    for operand in (b"a", b"b", b"c"):
        await db.merge(b"mkey", operand)


def only(pattern):
    found = sorted(glob.glob(pattern))
    assert len(found) >= 1, pattern
    return found


async def l0_fixture(work, out, codec, n):
    path = os.path.join(work, "l0-" + codec)
    store, db = await open_db(path, codec)
    await write_rows(db, n)
    await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    if codec == "none":
        await db.put(b"wal1", b"x")
        await db.delete(b"wal2")
        await db.merge(b"wal3", b"m")
        await db.flush_with_options(FlushOptions(flush_type=FlushType.WAL))
        admin = AdminBuilder(path, store).build()
        await admin.create_detached_checkpoint(CheckpointOptions(lifetime_ms=None, source=None,
                                                                 name="cp1"))
        wals = [w for w in only(path + "/wal/*.sst") if os.path.getsize(w) > 0]
        shutil.copy(wals[-1], os.path.join(out, "wal.sst"))
        shutil.copy(only(path + "/manifest/*.manifest")[-1],
                    os.path.join(out, "manifest_l0.manifest"))
    await db.shutdown()
    ssts = only(path + "/compacted/*.sst")
    biggest = max(ssts, key=os.path.getsize)
    shutil.copy(biggest, os.path.join(out, "l0_%s.sst" % codec))


async def compaction_fixture(work, out):
    path = os.path.join(work, "compacted")
    store, db = await open_db(path, "none")
    for round_ in range(2):
        for i in range(12):
            await db.put(b"c%03d" % i, b"r%d" % round_)
        await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    admin = AdminBuilder(path, store).build()
    manifest = await admin.read_manifest(None)
    views = [SourceId.SST_VIEW(v.id) for v in manifest.l0]
    await admin.submit_compaction(CompactionSpec.TIERED(segment=b"", sources=views, destination=0))
    for _ in range(600):
        manifest = await admin.read_manifest(None)
        if manifest.compacted and not manifest.l0:
            break
        await asyncio.sleep(0.1)
    assert manifest.compacted, "no compaction happened"
    await asyncio.sleep(2)  # let the compactor record the job as completed
    await db.shutdown()
    shutil.copy(only(path + "/manifest/*.manifest")[-1],
                os.path.join(out, "manifest_compacted.manifest"))
    shutil.copy(only(path + "/compactions/*.compactions")[-1],
                os.path.join(out, "compactions.compactions"))


async def main(out):
    with tempfile.TemporaryDirectory() as work:
        await l0_fixture(work, out, "none", 60)
        for codec in ("snappy", "zlib", "lz4", "zstd"):
            await l0_fixture(work, out, codec, 20)
        await compaction_fixture(work, out)


if __name__ == "__main__":
    asyncio.run(main(os.path.abspath(sys.argv[1])))
