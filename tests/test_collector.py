"""The cyclic collector is off while symnet builds expressions and as it was after: on again
once the last of nested or concurrent calls returns, off where the user had turned it off."""

import gc
import threading

import pytest

import symnet as sn
from symnet.collector import paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


@paused
def state(inner=None):
    seen = gc.isenabled()
    return (seen, inner()) if inner else seen


def test_off_inside_and_on_after(collector_on):
    assert state(inner=state) == (False, False)
    assert gc.isenabled()


def test_left_off_where_the_user_turned_it_off(collector_on):
    gc.disable()
    assert state() is False
    assert not gc.isenabled()


def test_on_again_after_an_error(collector_on):
    @paused
    def failing():
        raise sn.SymnetError("bad input")

    with pytest.raises(sn.SymnetError):
        failing()
    assert gc.isenabled()


def test_threads_overlapping_leave_it_on_after_the_last(collector_on):
    inside, release = threading.Barrier(3), threading.Event()

    @paused
    def hold():
        inside.wait()
        release.wait()

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert not gc.isenabled()  # both threads inside
    release.set()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_gradients_run_with_it_off_and_leave_it_on(collector_on, monkeypatch):
    seen = []
    original = sn.derive._backprop
    monkeypatch.setattr(sn.derive, "_backprop",
                        lambda *a: seen.append(gc.isenabled()) or original(*a))
    sn.Network("2-2-1", activation="sigmoid").gradients()
    assert seen and not any(seen)
    assert gc.isenabled()
