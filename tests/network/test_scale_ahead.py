"""A result computed ahead in a forked child, and an executor opened before its points."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from sparcs.errors import SparcsError
from sparcs.scale import ExecutorSpec, open_session
from sparcs.scale.ahead import CAN_FORK, compute_ahead


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def _refuse(what: str) -> int:
    msg = f"{what} refused"
    raise SparcsError(msg)


def _dies_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)  # the child dies before it sends anything
    return "computed in the parent"


def test_the_result_comes_from_a_forked_child() -> None:
    pid, square = compute_ahead(_pid_and_square, 12).result()
    assert square == 144
    # forked where fork exists (Linux), computed in place elsewhere
    assert (pid != os.getpid()) == CAN_FORK


def test_without_fork_the_result_is_computed_at_once_in_place() -> None:
    pending = compute_ahead(_pid_and_square, 3, fork=False)
    assert pending.result() == (os.getpid(), 9)


def test_an_error_of_the_child_is_raised_as_the_function_raises_it() -> None:
    pending = compute_ahead(_refuse, "the weather")
    with pytest.raises(SparcsError, match="the weather refused"):
        pending.result()


def test_a_child_that_died_is_replaced_by_computing_in_place() -> None:
    pending = compute_ahead(_dies_in_a_child, os.getpid())
    assert pending.result() == "computed in the parent"
    assert pending.result() == "computed in the parent"  # kept, not computed again


def test_a_local_session_maps_in_order_and_checks_its_labels() -> None:
    with open_session(ExecutorSpec("local")) as session:
        assert session.client is None
        outcomes = list(session.map(abs, [-2, 3], ["a", "b"]))
        assert [(o.label, o.value) for o in outcomes] == [("a", 2), ("b", 3)]
        with pytest.raises(SparcsError, match="2 points need as many unique labels"):
            list(session.map(abs, [1, 2], ["same", "same"]))


def _big_after(seconds: float) -> bytes:
    time.sleep(seconds)
    return bytes(1_000_000)  # more than a pipe holds: the child waits for its reader


@pytest.mark.parametrize("seconds", [0.0, 30.0])
def test_a_result_never_asked_for_ends_its_child_quietly(
    seconds: float, capfd: pytest.CaptureFixture[str]
) -> None:
    start = time.monotonic()
    with compute_ahead(_big_after, seconds):
        time.sleep(0.2)  # the caller fails here, e.g. its scheduler cannot be reached
    assert time.monotonic() - start < 5
    assert not multiprocessing.active_children()
    assert capfd.readouterr().err == ""  # no traceback from the child
