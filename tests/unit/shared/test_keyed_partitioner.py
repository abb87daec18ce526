"""The relay's partitioner puts every key where aiokafka's (and the Java client's) default puts it, so events of
one patient stay in one partition whoever produces them."""

from __future__ import annotations

import pytest
from aiokafka.partitioner import DefaultPartitioner

from otrcm_shared.runtime.kafka import keyed_partitioner
from otrcm_shared.topics import partition_key

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("partitions", [1, 3, 6, 12])
def test_each_key_lands_where_the_default_partitioner_puts_it(partitions: int) -> None:
    every = list(range(partitions))
    keys = [partition_key(f"tenant-{t}", f"patient-{p}") for t in range(5) for p in range(200)]
    keys += [b"", b"a", "\u00e9t\u00e9".encode(), bytes(range(256))]
    for key in keys * 2:  # the second time from the cache
        assert keyed_partitioner(key, every, every) == DefaultPartitioner()(key, every, every)


def test_a_record_without_key_goes_to_an_available_partition() -> None:
    assert keyed_partitioner(None, [0, 1, 2], [2]) == 2
    assert keyed_partitioner(None, [0, 1, 2], []) in (0, 1, 2)
