# SPDX-License-Identifier: Apache-2.0
"""The command line itself: --help everywhere, exit codes, messages for bad input, and
choosing the store by URL, env file or CLOUD_PROVIDER as the Python package does."""
import json
import os
import subprocess

import pytest

from slatedb import SlateDB

from cli_helpers import base_env, cli_path

COMMANDS = [
    ["manifest", "show"], ["manifest", "list"], ["state"],
    ["checkpoint", "create"], ["checkpoint", "refresh"], ["checkpoint", "delete"],
    ["checkpoint", "list"], ["get"], ["scan"], ["put"], ["delete"], ["gc", "run"],
    ["gc", "schedule"], ["compactor", "run"], ["compaction", "submit"], ["compaction", "list"],
    ["compaction", "show"], ["seq-to-ts"], ["ts-to-seq"], ["db", "delete"], ["bench"],
]


def run(*args, env=None, cwd=None):
    return subprocess.run([cli_path(), *map(str, args)], capture_output=True, text=True,
                          env=env or base_env(), cwd=cwd, timeout=60)


def test_help_for_every_command(tmp_path):
    top = run("--help", cwd=tmp_path)
    assert top.returncode == 0
    for words in COMMANDS:
        assert " ".join(words) in top.stdout
        r = run(*words, "--help", cwd=tmp_path)
        assert r.returncode == 0, (words, r.stderr)
        assert r.stdout.startswith(r.stdout.splitlines()[0]) and "Usage: slatedb" in r.stdout
        assert "--json" in r.stdout  # the global options are listed
    group = run("checkpoint", "--help", cwd=tmp_path)
    assert group.returncode == 0 and "checkpoint create" in group.stdout
    assert run("--version", cwd=tmp_path).stdout.startswith("slatedb ")
    assert json.loads(run("--version", "--json", cwd=tmp_path).stdout)["version"]


def test_usage_errors_name_the_problem(tmp_path):
    cases = [
        ([], "Usage"),
        (["frobnicate"], "unknown command: 'frobnicate'"),
        (["checkpoint"], "needs a subcommand"),
        (["checkpoint", "explode"], "unknown subcommand of 'checkpoint': 'explode'"),
        (["state", "--bogus"], "unknown option '--bogus'"),
        (["manifest", "show", "--id"], "needs a value"),
        (["manifest", "show", "--id", "-3"], "--id must be a non-negative integer"),
        (["get"], "needs KEY"),
        (["get", "a", "b"], "unexpected argument 'b'"),
        (["state"], "no object store given"),
        (["--env-file", str(tmp_path / "missing.env"), "state"], "env file not found"),
        (["get", "--encoding", "base32", "k"], "--encoding must be"),
        (["get", "--url", "memory:///", "bad\\q"], "unknown escape"),
    ]
    for args, message in cases:
        r = run(*args, cwd=tmp_path)
        assert r.returncode == 2, (args, r.stderr)
        assert message in r.stderr, (args, r.stderr)
    # With --json the error is also a JSON document on stdout.
    r = run("frobnicate", "--json", cwd=tmp_path)
    assert json.loads(r.stdout)["error"] == {"kind": "usage", "exit_code": 2,
                                              "message": "unknown command: 'frobnicate'; run "
                                                         "'slatedb --help' for the list"}


def test_store_errors(tmp_path):
    bad = run("--url", ":nonsense:", "state", "--json", cwd=tmp_path)
    assert bad.returncode == 1 and json.loads(bad.stdout)["error"]["kind"] == "invalid"
    scheme = run("--url", "gopher://x", "state", cwd=tmp_path)
    assert scheme.returncode == 1 and "unsupported object store scheme: gopher" in scheme.stderr
    relative = run("--url", "file://relative/dir", "state", cwd=tmp_path)
    assert relative.returncode == 1 and "absolute path" in relative.stderr
    nothing = run("--url", f"file://{tmp_path}/empty", "state", cwd=tmp_path)
    assert nothing.returncode == 3 and "no database" in nothing.stderr
    memory = run("--url", "memory:///", "checkpoint", "list", cwd=tmp_path)
    assert memory.returncode == 1 and "no database" in memory.stderr


def test_env_file_and_cloud_provider_select_the_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "root"
    env_file = tmp_path / "local.env"
    env_file.write_text(f"CLOUD_PROVIDER=local\nLOCAL_PATH={root}\n")
    with SlateDB("envdb", env_file=str(env_file)) as db:
        db.put(b"k", b"from python")
    # --env-file, as the Python package reads it.
    r = run("--env-file", env_file, "--path", "envdb", "get", "k", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "from python\n"
    # ./.env in the working directory, as Python's default.
    (tmp_path / ".env").write_text(env_file.read_text())
    assert run("--path", "envdb", "get", "k", cwd=tmp_path).stdout == "from python\n"
    # CLOUD_PROVIDER in the environment wins over the file.
    other = tmp_path / "other"
    env = base_env()
    env.update({"CLOUD_PROVIDER": "local", "LOCAL_PATH": str(other)})
    elsewhere = run("--path", "envdb", "get", "k", env=env, cwd=tmp_path)
    assert elsewhere.returncode == 1 and "failed to find latest transactional object" in elsewhere.stderr
    # The same database by URL: the directory, or its parent plus --path.
    assert run("--url", f"file://{root}/envdb", "get", "k", cwd=tmp_path).stdout == "from python\n"
    assert run("--url", f"file://{root}", "--path", "envdb", "get", "k",
               cwd=tmp_path).stdout == "from python\n"
    bad = tmp_path / "bad.env"
    bad.write_text("CLOUD_PROVIDER=floppy\n")
    r = run("--env-file", bad, "state", cwd=tmp_path)
    assert r.returncode == 1 and "unsupported CLOUD_PROVIDER: floppy" in r.stderr


def test_s3_env_file_with_cloud_provider_aws(tmp_path, monkeypatch):
    from cli_helpers import S3_ENDPOINT, make_bucket, s3_env
    if not S3_ENDPOINT:
        pytest.skip("no local S3 server (SLATEDB_S3_TEST_ENDPOINT)")
    monkeypatch.chdir(tmp_path)
    bucket = make_bucket()
    env_file = tmp_path / "s3.env"
    lines = [f"{k}={v}" for k, v in s3_env().items()]
    env_file.write_text("\n".join(["CLOUD_PROVIDER=aws", f"AWS_BUCKET={bucket}/tenant"] + lines) + "\n")
    with SlateDB("db", env_file=str(env_file)) as db:
        db.put(b"k", b"on s3")
    # Everything comes from the file: the process has no AWS_* variables.
    env = {k: v for k, v in base_env().items() if not k.startswith("AWS_")}
    r = run("--env-file", env_file, "--path", "db", "get", "k", env=env, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "on s3\n", r.stderr
    by_url = run("--url", f"s3://{bucket}/tenant", "--env-file", env_file, "--path", "db",
                 "--json", "state", env=env, cwd=tmp_path)
    assert by_url.returncode == 0 and json.loads(by_url.stdout)["l0"]["totals"]["ssts"] == 1
