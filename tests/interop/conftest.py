# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the interop tests with upstream SlateDB 0.17.0 (see driver.py for the
processes, model.py for the expectations; scripts/test-interop.sh runs them)."""
from __future__ import annotations

import os
import shutil
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import driver  # noqa: E402

CODECS = ("none", "snappy", "zlib", "lz4", "zstd")
# The codec of the full workload's databases on each store (and each direction); every other
# codec gets the smaller per-codec cases.
FULL_CODEC = {"local": "zstd", "s3": "lz4"}
OTHER_CODECS = tuple(c for c in CODECS if c != FULL_CODEC["local"])
CODEC_SCALE = 0.5


def _missing_tools() -> list[str]:
    missing = []
    if not os.path.exists(driver.ORACLE_PYTHON):
        missing.append(f"{driver.ORACLE_PYTHON} (scripts/oracle-venv.sh 0.17)")
    if not os.path.exists(driver.OUR_PYTHON):
        missing.append(f"{driver.OUR_PYTHON} (scripts/test-python.sh)")
    if not os.path.exists(driver.CPP_DUMP):
        missing.append(f"{driver.CPP_DUMP} (scripts/build-native.sh interop_dump)")
    if shutil.which("node") is None:
        missing.append("node")
    if not os.path.exists(os.path.join(driver.ROOT, "wasm", "dist", "slatedb_wasm.wasm")):
        missing.append("wasm/dist/slatedb_wasm.wasm (scripts/build-wasm.sh)")
    return missing


@pytest.fixture(scope="session", autouse=True)
def tools():
    """Every process the tests start must exist: a missing one fails the run (never a
    skip), naming the script that provides it."""
    missing = _missing_tools()
    if missing:
        pytest.fail("interop tests need: " + "; ".join(missing), pytrace=False)


class Stores:
    """Fresh, empty locations for databases: a directory, or a bucket on the local S3
    server (moto, started by scripts/s3-test-server.sh)."""

    def __init__(self, tmp_path_factory):
        self.tmp = tmp_path_factory

    def make(self, kind: str) -> dict:
        if kind == "local":
            return {"kind": "local", "root": str(self.tmp.mktemp("interop"))}
        if kind == "s3":
            if not driver.S3_ENDPOINT:
                pytest.fail("SLATEDB_S3_TEST_ENDPOINT is not set: run under "
                            "scripts/s3-test-server.sh (scripts/test-interop.sh does)",
                            pytrace=False)
            bucket = f"interop-{uuid.uuid4().hex[:12]}"
            driver.create_bucket(bucket)
            return {"kind": "s3", "bucket": bucket, "prefix": "shared"}
        raise ValueError(kind)


@pytest.fixture(scope="session")
def stores(tmp_path_factory):
    return Stores(tmp_path_factory)
