# SPDX-License-Identifier: Apache-2.0
"""What the slatedb.uniffi agents share (segments_agent.py, filters_agent.py): each runs under
our package or under upstream's 0.17 wheel, so this uses the public slatedb.uniffi API only."""

from slatedb.uniffi import KeyRange, PrefixExtractor

EVERYTHING = KeyRange(start=None, start_inclusive=False, end=None, end_inclusive=False)


class ThreeBytes(PrefixExtractor):
    """A key's first three bytes (keys shorter have no prefix), under the name given: the name
    is part of a segment's and a prefix filter's identity, so tests vary it."""

    def __init__(self, name: str):
        self._name = name

    def name(self):
        return self._name

    def prefix_len(self, target):
        data = target.key if target.is_point() else target.prefix
        return 3 if len(data) >= 3 else None
