# SPDX-License-Identifier: Apache-2.0
#
# Checks an S3 request's AWS Signature Version 4 the way a strict S3 server does, with an
# implementation that is not ours: botocore's signer (from PyPI) recomputes the signature
# from the request as it arrived (method, raw path and query, the headers the client says
# it signed, the host as the server sees it) and the known secret, and the result must equal
# the Authorization header's. Used by scripts/s3-fault-proxy.py (--verify) so the test suites
# run against a server that refuses unsigned, wrongly signed and tampered requests.
#
# What counts, as AWS S3 and SeaweedFS check it:
#   * no Authorization header (and no presigned query)      403 AccessDenied
#   * an unknown access key id                              403 InvalidAccessKeyId
#   * x-amz-date more than 15 minutes from now              403 RequestTimeTooSkewed
#   * a region other than the server's                      400 AuthorizationHeaderMalformed
#   * x-amz-content-sha256 not the body's hash (unless it
#     is UNSIGNED-PAYLOAD)                                  400 XAmzContentSHA256Mismatch
#   * any other difference                                  403 SignatureDoesNotMatch
# The host is taken from the Host header and canonicalised as AWS does (a default port,
# ":80" on http, is dropped), so a client that signs "host:80" while its HTTP library sends
# "host" (or the reverse) fails here as it fails against real servers.
import datetime
import hashlib
import hmac
import re

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/"
    r"(?P<service>[^/,\s]+)/aws4_request,\s*SignedHeaders=(?P<signed>[a-z0-9;\-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})$")
MAX_SKEW = datetime.timedelta(minutes=15)


class Refusal(Exception):
    """An S3 error answer: HTTP status, S3 error code, message, extra XML elements."""

    def __init__(self, status, code, message, **extra):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.extra = status, code, message, extra


def verify(method, raw_target, headers, body, keys, region="us-east-1", now=None):
    """Raises Refusal unless the request is signed with one of `keys` (access key -> secret).

    raw_target is the request line's target as received ("/bucket/a%20b?list-type=2");
    headers a list of (name, value) pairs as received; body the bytes received.
    """
    lower = {}
    for name, value in headers:
        lower.setdefault(name.lower(), value)
    if "x-amz-signature" in raw_target.lower():
        raise Refusal(403, "AccessDenied", "presigned requests are not accepted here")
    auth = lower.get("authorization")
    if not auth:
        raise Refusal(403, "AccessDenied", "Anonymous access is forbidden: the request is not signed")
    m = AUTH_RE.match(auth.strip())
    if not m:
        raise Refusal(400, "AuthorizationHeaderMalformed", "the Authorization header is malformed")
    secret = keys.get(m["key"])
    if secret is None:
        raise Refusal(403, "InvalidAccessKeyId",
                      "The AWS Access Key Id you provided does not exist in our records.")
    if m["service"] != "s3":
        raise Refusal(400, "AuthorizationHeaderMalformed", f"service '{m['service']}' is not s3")
    if m["region"] != region:
        raise Refusal(400, "AuthorizationHeaderMalformed",
                      f"the region '{m['region']}' is wrong; expecting '{region}'")

    amz_date = lower.get("x-amz-date", "")
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        raise Refusal(403, "AccessDenied", "x-amz-date is missing or malformed") from None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if abs(now - when) > MAX_SKEW:
        raise Refusal(403, "RequestTimeTooSkewed",
                      "The difference between the request time and the current time is too large.",
                      RequestTime=amz_date, ServerTime=now.strftime("%Y%m%dT%H%M%SZ"))
    if m["date"] != amz_date[:8]:
        raise Refusal(403, "SignatureDoesNotMatch", "the credential date is not x-amz-date's")

    payload_hash = lower.get("x-amz-content-sha256")
    if payload_hash is None:
        raise Refusal(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
    if payload_hash != "UNSIGNED-PAYLOAD":
        if payload_hash != hashlib.sha256(body or b"").hexdigest():
            raise Refusal(400, "XAmzContentSHA256Mismatch",
                          "The provided 'x-amz-content-sha256' header does not match what was computed.")

    signed = m["signed"].split(";")
    if "host" not in signed:
        raise Refusal(403, "SignatureDoesNotMatch", "the host header must be signed")
    missing = [h for h in signed if h not in lower]
    if missing:
        raise Refusal(403, "SignatureDoesNotMatch", f"signed headers missing from the request: {missing}")
    host = lower["host"]

    # botocore derives the host from the URL, dropping the scheme's default port as AWS's
    # servers do; every other signed header is passed with the value as received.
    request = AWSRequest(method=method, url=f"http://{host}{raw_target}",
                         headers={h: lower[h] for h in signed if h != "host"})
    request.context["timestamp"] = amz_date
    signer = S3SigV4Auth(Credentials(m["key"], secret), "s3", region)
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    if not hmac.compare_digest(expected, m["signature"]):
        raise Refusal(403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided. "
                      "Check your key and signing method.",
                      CanonicalRequest=canonical, StringToSign=string_to_sign)


RANGE_NUMBER = re.compile(r"\d+")
MAX_RANGE_VALUE = (1 << 63) - 1


def check_range(headers):
    """Raises Refusal(416) for a Range header with a number above 2^63-1, as SeaweedFS does."""
    for name, value in headers:
        if name.lower() == "range":
            if any(int(n) > MAX_RANGE_VALUE for n in RANGE_NUMBER.findall(value)):
                raise Refusal(416, "InvalidRange", "The requested range is not satisfiable")


def error_xml(refusal):
    from xml.sax.saxutils import escape
    extra = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in refusal.extra.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{refusal.code}</Code>'
            f"<Message>{escape(refusal.message)}</Message>{extra}</Error>").encode()
