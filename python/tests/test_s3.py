# SPDX-License-Identifier: Apache-2.0
"""SlateDB on S3: a local moto_server behind a SigV4-checking front end, started by
scripts/s3-test-server.sh; the buckets are created with signed requests.

Skipped when SLATEDB_S3_TEST_ENDPOINT is not set, i.e. when no local S3 server runs.
"""
import os
import uuid

import pytest

from s3_signing import ACCESS_KEY, SECRET_KEY, create_bucket, signed_request
from slatedb import ClosedError, InvalidError, SlateDB

ENDPOINT = os.environ.get("SLATEDB_S3_TEST_ENDPOINT")
PORT80 = os.environ.get("SLATEDB_S3_TEST_PORT80_ENDPOINT")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="no local S3 server (SLATEDB_S3_TEST_ENDPOINT)")


def use_env(monkeypatch, endpoint, **overrides):
    values = {"AWS_ENDPOINT_URL": endpoint, "AWS_ALLOW_HTTP": "true",
              "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
              "AWS_REGION": "us-east-1"}
    values.update(overrides)
    for key, value in values.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def bucket(monkeypatch):
    name = "py-" + uuid.uuid4().hex[:12]
    create_bucket(ENDPOINT, name)
    use_env(monkeypatch, ENDPOINT)
    return name


def test_the_server_refuses_unsigned_and_wrongly_signed_requests(bucket):
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{ENDPOINT}/{bucket}?list-type=2")
    assert refused.value.code == 403
    assert signed_request(ENDPOINT, "GET", f"/{bucket}?list-type=2") == 200
    assert signed_request(ENDPOINT, "GET", f"/{bucket}?list-type=2", secret_key="wrong") == 403


def test_url_store_round_trip_and_fencing(bucket):
    url = f"s3://{bucket}/prefix"
    first = SlateDB("db", url=url)
    first.put(b"k", b"v")
    first.flush_with_options("memtable")
    first.put(b"k2", b"v2")
    second = SlateDB("db", url=url)
    assert second.get(b"k") == b"v" and second.get(b"k2") == b"v2"
    with pytest.raises(ClosedError):
        first.put(b"k3", b"v")
    first.close()  # quiet on a fenced handle, as slatedb 0.11
    assert [k for k, _ in second.scan_prefix(b"k")] == [b"k", b"k2"]
    second.close()


def test_odd_keys_round_trip(bucket):
    keys = [b"a b", "é/ü€😀".encode(), b"x+y", b"100%", b"~t", b"k=v&w", b"\x00\xff bin"]
    with SlateDB("db", url=f"s3://{bucket}/odd key+=~%") as db:
        for i, key in enumerate(keys):
            db.put(key, str(i).encode())
        db.flush_with_options("memtable")
    with SlateDB("db", url=f"s3://{bucket}/odd key+=~%") as db:
        assert [db.get(k) for k in keys] == [str(i).encode() for i in range(len(keys))]


def test_env_file_with_cloud_provider_aws(bucket, tmp_path):
    env = tmp_path / ".env"
    env.write_text(f"CLOUD_PROVIDER=aws\nAWS_BUCKET={bucket}\n")
    with SlateDB("envdb", env_file=str(env)) as db:
        db.put(b"k", b"v")
    with SlateDB("envdb", env_file=str(env)) as db:
        assert db.get(b"k") == b"v"


def test_wrong_secret_is_invalid_naming_it(bucket, monkeypatch):
    use_env(monkeypatch, ENDPOINT, AWS_SECRET_ACCESS_KEY="not-the-secret-x9")
    with pytest.raises(InvalidError) as e:
        SlateDB("db", url=f"s3://{bucket}/p")
    message = str(e.value)
    assert "SignatureDoesNotMatch" in message and "AWS_SECRET_ACCESS_KEY" in message
    assert "not-the-secret-x9" not in message
    assert "rejected a create-if-absent" not in message


def test_missing_bucket_is_invalid_naming_the_bucket(bucket):
    with pytest.raises(InvalidError) as e:
        SlateDB("db", url="s3://no-such-bucket-py/p")
    assert "the bucket does not exist" in str(e.value)
    assert "rejected a create-if-absent" not in str(e.value)


@pytest.mark.skipif(not PORT80, reason="no front end on port 80 (scripts/s3-test-server.sh as root)")
def test_endpoint_with_default_port(bucket, monkeypatch):
    assert PORT80.endswith(":80")
    use_env(monkeypatch, PORT80)
    with SlateDB("db", url=f"s3://{bucket}/port80") as db:
        db.put(b"k", b"v")
    with SlateDB("db", url=f"s3://{bucket}/port80") as db:
        assert db.get(b"k") == b"v"
