"""gunicorn.conf.py's worker hook: GUNICORN_SWITCH_INTERVAL sets how often a thread rendering a
page hands Python's GIL to the other threads of its worker; unset, Python's own is kept."""

import runpy
import sys
from pathlib import Path

import pytest

CONFIG = str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")


@pytest.fixture
def switch_interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("switch_interval")
def test_a_worker_hands_the_gil_on_as_often_as_the_environment_says(monkeypatch):
    monkeypatch.setenv("GUNICORN_SWITCH_INTERVAL", "0.001")
    runpy.run_path(CONFIG)["post_worker_init"](None)
    assert sys.getswitchinterval() == pytest.approx(0.001)


@pytest.mark.usefixtures("switch_interval")
def test_unset_a_worker_keeps_pythons_own_switch_interval(monkeypatch):
    monkeypatch.delenv("GUNICORN_SWITCH_INTERVAL", raising=False)
    sys.setswitchinterval(0.005)
    runpy.run_path(CONFIG)["post_worker_init"](None)
    assert sys.getswitchinterval() == pytest.approx(0.005)
