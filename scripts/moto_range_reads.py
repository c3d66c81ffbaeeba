#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# Runs moto_server with reads that cost what S3's cost: independent of the object's size.
#
# Stock moto answers every GET, ranged or not, by reading the WHOLE object out of its buffer
# (a temporary file above 5 MB) and copying it, under the object's lock
# (moto/s3/models.py, FakeKey.value). A 4 KiB block read from a 55 MB SST then costs the test
# server hundreds of ms, and concurrent reads of one SST wait on each other: measured with
# the fault proxy's server_ms counter, 47 ms per ranged 4 KiB GET with one reader and
# 1.0-2.7 s with 64 readers. Latency benchmarks (bench/run_remote_bench.sh) would then
# measure moto, not the readers. Here FakeKey.value also keeps the value as one immutable
# bytes object, set with the buffer, so a GET hands out that object and a range slices only
# its bytes. Everything else in moto (sizes, etags, multipart, the buffer) is unchanged.
#
# Used when SLATEDB_S3_TEST_FAST_READS=1 (scripts/s3-test-server.sh); if moto's FakeKey no
# longer has the shape patched here, this says so on stderr and runs stock moto.
#
# Usage: moto_range_reads.py [moto_server arguments]
import sys

from moto.s3 import models
from moto.server import main


def patch() -> bool:
    prop = getattr(models.FakeKey, "value", None)
    if not isinstance(prop, property) or prop.fget is None or prop.fset is None:
        return False
    stock_set = prop.fset

    def get_value(self) -> bytes:
        cached = self.__dict__.get("_slatedb_value")
        return cached if cached is not None else prop.fget(self)

    def set_value(self, new_value) -> None:
        stock_set(self, new_value)
        # What moto stored (it encodes str as its setter does); bytes are immutable, so
        # handing the same object to every reader is safe. (The stock getter cannot be used
        # here: FakeKey.__init__ sets the value before it creates the lock.)
        if isinstance(new_value, str):
            new_value = new_value.encode(getattr(models, "DEFAULT_TEXT_ENCODING", "utf-8"))
        self.__dict__["_slatedb_value"] = bytes(new_value)

    models.FakeKey.value = property(get_value, set_value)
    return True


if __name__ == "__main__":
    if not patch():
        print("[moto_range_reads] moto's FakeKey.value has another shape; running stock moto",
              file=sys.stderr)
    sys.exit(main())
