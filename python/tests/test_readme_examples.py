# SPDX-License-Identifier: Apache-2.0
"""The seed README's examples, as written (seeds/000 in the project brief).

Transactions and the admin/reader example need the transactions/checkpoints issue; they are
added here when that lands.
"""
import asyncio
import contextlib
import io


def run(source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<README example>", "exec"), {"__name__": "__readme__"})
    return out.getvalue()


def test_basic_operations():
    run('''
from slatedb import SlateDB

# Create or open a database
db = SlateDB("/path/to/your/database")

# Put a key-value pair
db.put(b"hello", b"world")

# Retrieve a value
value = db.get(b"hello")  # Returns b"world"
assert value == b"world"

# Delete a key-value pair
db.delete(b"hello")

# Always close when done
db.close()
''')


def test_asynchronous_api():
    run('''
import asyncio
from slatedb import SlateDB

async def main():
    db = SlateDB("/path/to/your/database")

    # Async operations
    await db.put_async(b"hello", b"async world")
    value = await db.get_async(b"hello")
    assert value == b"async world"
    await db.delete_async(b"hello")

    # Don't forget to close
    db.close()

# Run the async example
asyncio.run(main())
''')


def test_merge_operator():
    run('''
from slatedb import SlateDB

# Python callable merge operator: concatenate bytes
def concat(existing: bytes | None, value: bytes) -> bytes:
    return (existing or b"") + value

db = SlateDB("/path/to/your/database", merge_operator=concat)
db.merge(b"key", b"a")
db.merge(b"key", b"b")
assert db.get(b"key") == b"ab"
db.close()
''')


def test_snapshots():
    run('''
from slatedb import SlateDB

db = SlateDB("/path/to/your/database")

# Write data and take a snapshot
db.put(b"key1", b"original")
snap = db.snapshot()

# Modify the database after creating the snapshot
db.put(b"key1", b"modified")

# Snapshot sees original state; DB sees latest
assert snap.get(b"key1") == b"original"
assert db.get(b"key1") == b"modified"

# Snapshots support range scans and async reads as well
_ = list(snap.scan(b"key"))

# Release resources when done (optional; also handled by GC)
snap.close()
db.close()
''')


def test_range_scans_and_seek():
    printed = run('''
from slatedb import SlateDB, InvalidError

db = SlateDB("/path/to/your/database")
db.put(b"a1", b"v1")
db.put(b"a2", b"v2")
db.put(b"a3", b"v3")

# Iterate all keys with prefix 'a' lazily
it = db.scan(b"a")
print(next(it))         # (b"a1", b"v1")

# Seek forward to the first key >= b"a3"
it.seek(b"a3")
print(next(it))         # (b"a3", b"v3")

# Seeking backwards (<= last returned) raises InvalidError
try:
    it.seek(b"a2")
except InvalidError:
    pass

db.close()
''')
    assert printed == "(b'a1', b'v1')\n(b'a3', b'v3')\n"


def test_error_handling():
    printed = run('''
from slatedb import (
    SlateDB,
    TransactionError, ClosedError, UnavailableError,
    InvalidError, DataError, InternalError,
)

db = SlateDB("/tmp/slatedb")

# Invalid arguments raise InvalidError
try:
    db.put(b"", b"value")
except InvalidError:
    pass

# Catch specific operational errors
try:
    db.close()
    db.put(b"k", b"v")
except ClosedError:
    print("database is closed")

# Or catch broadly
try:
    value = db.get(b"k")
except (TransactionError, ClosedError, UnavailableError, InvalidError, DataError, InternalError) as e:
    print(f"SlateDB error: {e}")
''')
    assert printed.splitlines()[0] == "database is closed"
    assert printed.splitlines()[1].startswith("SlateDB error: ")
