# SPDX-License-Identifier: Apache-2.0
"""Signed S3 requests for test setup (CreateBucket) against a server that checks signatures.

A minimal SigV4 signer from the standard library, separate from the package's (which is the
code under test): the local test server (scripts/s3-test-server.sh) refuses unsigned requests
as real servers do.
"""
import datetime
import hashlib
import hmac
import os
import urllib.error
import urllib.parse
import urllib.request

ACCESS_KEY = os.environ.get("SLATEDB_S3_TEST_ACCESS_KEY_ID", "testing")
SECRET_KEY = os.environ.get("SLATEDB_S3_TEST_SECRET_ACCESS_KEY", "testing")
REGION = "us-east-1"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signed_request(endpoint: str, method: str, path: str, body: bytes = b"",
                   access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY) -> int:
    """Sends `method` to endpoint + path (already percent-encoded); returns the HTTP status."""
    return signed_fetch(endpoint, method, path, body, access_key=access_key,
                        secret_key=secret_key)[0]


def signed_get(endpoint: str, path: str, query: dict) -> bytes:
    """GETs endpoint + path with `query` (e.g. a ListObjectsV2); the body, or HTTPError."""
    # SigV4's canonical query: sorted by name, every value percent-encoded but for -_.~
    text = urllib.parse.urlencode(sorted(query.items()), quote_via=urllib.parse.quote, safe="-_.~")
    status, body = signed_fetch(endpoint, "GET", f"{path}?{text}")
    if status != 200:
        raise urllib.error.HTTPError(endpoint + path, status, body.decode(errors="replace"), None, None)
    return body


def signed_fetch(endpoint: str, method: str, path: str, body: bytes = b"",
                 access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY) -> tuple:
    """Sends `method` to endpoint + path (already percent-encoded, any query in canonical
    order); returns (HTTP status, response body)."""
    url = urllib.parse.urlsplit(endpoint.rstrip("/") + path)
    host = url.hostname + (f":{url.port}" if url.port and url.port != {"http": 80, "https": 443}[url.scheme] else "")
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = hashlib.sha256(body).hexdigest()
    headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    names = sorted(headers)
    canonical = "\n".join([method, url.path or "/", url.query,
                           "".join(f"{n}:{headers[n]}\n" for n in names), ";".join(names), payload])
    scope = f"{date}/{REGION}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret_key).encode(), date), REGION), "s3"), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={signature}")
    del headers["host"]
    request = urllib.request.Request(urllib.parse.urlunsplit(url), data=body or None,
                                     method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def create_bucket(endpoint: str, bucket: str) -> None:
    status = signed_request(endpoint, "PUT", f"/{bucket}")
    assert status in (200, 409), f"CreateBucket {bucket}: HTTP {status}"
