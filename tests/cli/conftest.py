# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the `slatedb` command-line tests: databases written by the Python package on a
local directory and (when scripts/s3-test-server.sh runs one) on S3."""
import os

import pytest

from cli_helpers import S3_ENDPOINT, Target, base_env, make_bucket, s3_env


@pytest.fixture(autouse=True)
def restore_environment():
    """Opening a database with an env file exports its variables into os.environ (as
    upstream does); undo that after each test. Store variables left by tests that ran
    earlier in the same process (the package's own suite) are removed first: these tests
    say which store they mean."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name in ("CLOUD_PROVIDER", "LOCAL_PATH") or name.startswith("AWS_"):
            del os.environ[name]
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(params=["local", "s3"])
def target(request, tmp_path, monkeypatch):
    env = base_env()
    monkeypatch.chdir(tmp_path)
    for name in ("CLOUD_PROVIDER", "LOCAL_PATH"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "local":
        root = tmp_path / "store"
        root.mkdir()
        return Target("local", f"file://{root}", env, tmp_path)
    if not S3_ENDPOINT:
        pytest.skip("no local S3 server (SLATEDB_S3_TEST_ENDPOINT; scripts/s3-test-server.sh)")
    for key, value in s3_env().items():
        monkeypatch.setenv(key, value)
        env[key] = value
    return Target("s3", f"s3://{make_bucket()}/cli", env, tmp_path)


@pytest.fixture
def local_target(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "store"
    root.mkdir()
    return Target("local", f"file://{root}", base_env(), tmp_path)
