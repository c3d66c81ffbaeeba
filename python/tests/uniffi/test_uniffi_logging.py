# SPDX-License-Identifier: Apache-2.0
"""init_logging (python-uniffi-api.md sections 3.18, 6.4). Logging is process-wide and can be
installed once, so each case runs in its own interpreter."""

import subprocess
import sys
import textwrap

from conftest import ours_only


def run(code):
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_logging_once_and_open_record():
    run("""
        import asyncio, threading
        from slatedb.uniffi import (DbBuilder, Error, LogCallback, LogLevel, ObjectStore,
                                    init_logging)

        class Collector(LogCallback):
            def __init__(self):
                self.records = []
                self.lock = threading.Lock()
            def log(self, record):
                with self.lock:
                    self.records.append(record)

        collector = Collector()
        init_logging(LogLevel.INFO, collector)
        try:
            init_logging(LogLevel.INFO, None)
            raise SystemExit("second init_logging succeeded")
        except Error.Invalid as e:
            assert e.message == "logging already initialized", e.message

        async def main():
            db = await DbBuilder("log-db", ObjectStore.resolve("memory:///")).build()
            await db.shutdown()
        asyncio.run(main())
        found = [r for r in collector.records if "opening SlateDB database" in r.message]
        assert found, [r.message for r in collector.records]
        record = found[0]
        assert "log-db" in record.message
        assert record.level is LogLevel.INFO
        assert record.target and record.module_path and record.file and record.line > 0
    """)


def test_levels_filter_and_stderr():
    result = run("""
        import asyncio
        from slatedb.uniffi import DbBuilder, LogLevel, ObjectStore, init_logging
        init_logging(LogLevel.INFO, None)
        async def main():
            db = await DbBuilder("stderr-db", ObjectStore.resolve("memory:///")).build()
            await db.shutdown()
        asyncio.run(main())
    """)
    assert "opening SlateDB database" in result.stderr
    quiet = run("""
        import asyncio
        from slatedb.uniffi import DbBuilder, LogLevel, ObjectStore, init_logging
        init_logging(LogLevel.WARN, None)
        async def main():
            db = await DbBuilder("quiet-db", ObjectStore.resolve("memory:///")).build()
            await db.shutdown()
        asyncio.run(main())
    """)
    assert "opening SlateDB database" not in quiet.stderr


@ours_only  # upstream panics when a log callback raises
def test_faulty_callback_does_not_break_the_database():
    run("""
        import asyncio
        from slatedb.uniffi import DbBuilder, LogCallback, LogLevel, ObjectStore, init_logging
        class Broken(LogCallback):
            def log(self, record):
                raise RuntimeError("broken")
        init_logging(LogLevel.TRACE, Broken())
        async def main():
            db = await DbBuilder("db", ObjectStore.resolve("memory:///")).build()
            await db.put(b"k", b"v")
            assert await db.get(b"k") == b"v"
            await db.shutdown()
        asyncio.run(main())
    """)
