"""scripts/dev.py, the newcomer's entry point: the port is chosen and checked before the long
setup, Ctrl+C stops every process cleanly (no kill), and Django's log lines print once."""

import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev():
    return runpy.run_path(str(ROOT / "scripts" / "dev.py"), run_name="dev_script")


def test_the_port_comes_from_the_option_then_port_then_8000(dev, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert dev["chosen_port"]([]) == 8000
    monkeypatch.setenv("PORT", "8100")
    assert dev["chosen_port"]([]) == 8100
    assert dev["chosen_port"](["--port", "8200"]) == 8200
    with pytest.raises(SystemExit):
        dev["chosen_port"](["--port", "70000"])


def test_a_busy_port_is_said_before_anything_is_installed(dev, capsys):
    installed = []
    dev["start"].__globals__["install_python"] = lambda: installed.append(True)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not dev["port_is_free"](port)
        with pytest.raises(SystemExit) as stopped:
            dev["start"](["--port", str(port)])
    assert f"Port {port} is already in use" in str(stopped.value)
    assert f"--port {port + 1}" in str(stopped.value)
    assert not installed
    assert dev["port_is_free"](port)


# A process that, like the Celery worker's warm shutdown, takes longer than honcho's five seconds
# to stop once asked (here 6 s).
SLOW_TO_STOP = """
import signal, sys, time
def stop(signum, frame):
    time.sleep(6)
    print("stopped cleanly on", signal.Signals(signum).name, flush=True)
    sys.exit(0)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
while True:
    time.sleep(0.1)
"""


def test_ctrl_c_waits_for_each_process_to_stop_and_kills_none(dev, capfd):
    commands = {
        "web": ([sys.executable, "-c", SLOW_TO_STOP], signal.SIGINT),
        "worker": ([sys.executable, "-c", SLOW_TO_STOP], signal.SIGTERM),
    }
    threading.Timer(3, os.kill, args=(os.getpid(), signal.SIGINT)).start()
    code = dev["supervise"](commands, dict(os.environ))
    output = capfd.readouterr().out
    assert code == 0
    assert "web    | stopped cleanly on SIGINT" in output
    assert "worker | stopped cleanly on SIGTERM" in output
    # Its own handlers are put back.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_django_log_lines_print_once_in_development(tmp_path):
    script = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.request').warning('one line'); "
        "logging.getLogger('socialvalue.core').warning('another line')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialvalue.settings",
        "DEBUG": "true",
        "LOCAL_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stderr.splitlines().count("one line") == 1, result.stderr
    assert result.stderr.splitlines().count("another line") == 1, result.stderr


def test_a_port_that_is_not_a_number_is_said_plainly(dev, monkeypatch, capsys):
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(SystemExit):
        dev["chosen_port"]([])
    assert "invalid int value: 'eighty'" in capsys.readouterr().err
