# SPDX-License-Identifier: Apache-2.0
import os
import shutil
import tempfile

import pytest

from slatedb import SlateDB


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Each test starts without CLOUD_PROVIDER and in an empty directory (no ./.env).

    Loading an env file exports its variables into the process environment (as upstream
    does); without this, one test's env file would redirect later tests' default store.
    """
    saved = dict(os.environ)
    for name in ("CLOUD_PROVIDER", "LOCAL_PATH"):
        os.environ.pop(name, None)
    monkeypatch.chdir(tmp_path)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def temp_dir():
    path = tempfile.mkdtemp()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def db_path(temp_dir):
    return os.path.join(temp_dir, "test_db")


@pytest.fixture
def env_file(temp_dir):
    path = os.path.join(temp_dir, ".env")
    with open(path, "w") as f:
        f.write("CLOUD_PROVIDER=local\nLOCAL_PATH=/\n")
    return path


@pytest.fixture
def db(db_path):
    handle = SlateDB(db_path)
    yield handle
    try:
        handle.close()
    except Exception:
        pass
