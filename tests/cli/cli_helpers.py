# SPDX-License-Identifier: Apache-2.0
"""Helpers of the `slatedb` command-line tests: finding the tool, running it, and where the
test databases live (a local directory, or a bucket on the S3 test server)."""
import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest

# The package tests' stand-alone SigV4 signer: the S3 test server refuses unsigned requests.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python", "tests"))
from s3_signing import create_bucket  # noqa: E402

S3_ENDPOINT = os.environ.get("SLATEDB_S3_TEST_ENDPOINT")


def cli_path():
    """SLATEDB_CLI, else the console script next to this Python (the venv's bin/)."""
    explicit = os.environ.get("SLATEDB_CLI")
    if explicit:
        return explicit
    found = shutil.which("slatedb", path=os.path.dirname(sys.executable))
    if found is None:
        pytest.fail("the slatedb console script is not installed next to " + sys.executable)
    return found


class Result:
    def __init__(self, proc, json_mode):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.json = None
        if json_mode and proc.stdout.strip():
            try:
                self.json = json.loads(proc.stdout)
            except json.JSONDecodeError:
                # A stream (gc schedule): one JSON object per line, see json_lines.
                pass

    @property
    def json_lines(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.stdout}\nstderr: {self.stderr}>"


class Target:
    """Where a test database lives: how Python opens it and how the CLI names it."""

    def __init__(self, kind, url, env, tmp_path):
        self.kind = kind
        self.url = url
        self.env = env
        self.tmp_path = tmp_path

    def open_kwargs(self):
        return {"url": self.url}

    def run(self, *args, db="db", json_mode=True, stdin=None, timeout=120, extra_env=None):
        argv = [cli_path(), "--url", self.url]
        if db is not None:
            argv += ["--path", db]
        if json_mode:
            argv.append("--json")
        argv += [str(a) for a in args]
        env = dict(self.env)
        env.update(extra_env or {})
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=self.tmp_path,
                              input=stdin, timeout=timeout)
        return Result(proc, json_mode)

    def ok(self, *args, **kwargs):
        r = self.run(*args, **kwargs)
        assert r.code == 0, r
        return r


def base_env():
    env = dict(os.environ)
    for name in ("CLOUD_PROVIDER", "LOCAL_PATH", "AWS_BUCKET"):
        env.pop(name, None)
    return env


def s3_env():
    return {"AWS_ENDPOINT_URL": S3_ENDPOINT, "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": os.environ.get("SLATEDB_S3_TEST_ACCESS_KEY_ID", "testing"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("SLATEDB_S3_TEST_SECRET_ACCESS_KEY", "testing"),
            "AWS_REGION": "us-east-1"}


def make_bucket():
    name = "cli-" + uuid.uuid4().hex[:12]
    create_bucket(S3_ENDPOINT, name)
    return name
