# SPDX-License-Identifier: Apache-2.0
import os
import shutil
import tempfile

import pytest

from slatedb import SlateDB


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
