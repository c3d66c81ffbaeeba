# SPDX-License-Identifier: Apache-2.0
"""ObjectStore.resolve / from_env and ObjectStoreBuilder outcomes."""

import os
import tempfile

from _transcript import show

from slatedb.uniffi import ObjectStore, ObjectStoreBuilder, ObjectStoreType

for url in ["memory:///", "memory://", "memory:///x", "file:///", "file://", "file:///tmp/x",
            "file:tmp", "s3://bucket", "s3://bucket/x", "s3://", "bogus://x", "", "relative/x",
            "/abs/x", "memory:", "MEMORY:///", "s3a://bucket", "file://host/"]:
    show(f"resolve {url!r}", lambda: ObjectStore.resolve(url))
root = tempfile.mkdtemp()
os.environ.pop("CLOUD_PROVIDER", None)
show("from_env unset", lambda: ObjectStore.from_env(None))
os.environ["CLOUD_PROVIDER"] = "bogus"
show("from_env bogus", lambda: ObjectStore.from_env(None))
os.environ["CLOUD_PROVIDER"] = "local"
os.environ.pop("LOCAL_PATH", None)
show("from_env local without path", lambda: ObjectStore.from_env(None))
os.environ["LOCAL_PATH"] = root
show("from_env local", lambda: ObjectStore.from_env(None))
os.environ["CLOUD_PROVIDER"] = "memory"
show("from_env memory", lambda: ObjectStore.from_env("/nonexistent/.env"))
for kind in (ObjectStoreType.S3, ObjectStoreType.LOCAL, ObjectStoreType.IN_MEMORY):
    builder = ObjectStoreBuilder(kind)
    show(f"{kind} build empty", lambda: builder.build())
    builder = ObjectStoreBuilder(kind)
    show(f"{kind} with_config bad", lambda: builder.with_config("nonsense_key", "v"))
    show(f"{kind} with_config after bad", lambda: builder.with_config("bucket", "v"))
    show(f"{kind} build after bad", lambda: builder.build())
local = ObjectStoreBuilder(ObjectStoreType.LOCAL)
show("local with path", lambda: local.with_config("local_path", root))
show("local build", lambda: local.build())
show("local build again", lambda: local.build())
show("from_url bogus", lambda: ObjectStoreBuilder.from_url("bogus://x"))
show("from_url memory", lambda: ObjectStoreBuilder.from_url("memory:///").build())
s3 = ObjectStoreBuilder(ObjectStoreType.S3)
for key in ["aws_access_key_id", "access_key_id", "aws_secret_access_key", "secret_access_key",
            "aws_region", "region", "aws_endpoint", "endpoint", "aws_session_token", "token",
            "aws_allow_http", "allow_http", "aws_bucket", "bucket_name",
            "aws_virtual_hosted_style_request", "AWS_ACCESS_KEY_ID"]:
    show(f"s3 key {key}", lambda: s3.with_config(key, "x"))
