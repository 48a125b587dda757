#!/usr/bin/env python3
"""One command to run the service, one to test it, on a fresh machine with Python 3.11+ (and Node).

    python3 scripts/dev.py start [--port 8001]  # install, migrate, demo data, serve http://localhost:8000 + worker
    python3 scripts/dev.py manage COMMAND ...   # any manage.py command with the development settings
    python3 scripts/dev.py test [PYTEST ARGS]   # install, then run the whole test suite
    python3 scripts/dev.py check                # ruff, formatting and missing migrations (CI runs this too)

`start` serves on the port given by --port, else the PORT environment variable, else 8000.

Everything is installed into ./.venv and ./node_modules; the embedded default keeps its SQLite file
and message broker under ./var. Set DATABASE_URL and CELERY_BROKER_URL to use PostgreSQL and Redis.
"""

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str, env: dict | None = None, check: bool = True) -> int:
    result = subprocess.run(args, cwd=ROOT, env=env)  # noqa: S603 - our own fixed commands
    if check and result.returncode != 0:
        sys.exit(f"Failed ({result.returncode}): {' '.join(args)}")
    return result.returncode


def digest(*paths: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths if p.exists())).hexdigest()


def install_python() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed (found {sys.version.split()[0]}).")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".installed"
    wanted = digest(ROOT / "pyproject.toml")
    if not stamp.exists() or stamp.read_text() != wanted:
        say("Installing Python packages (pyproject.toml, with the test extra)")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "-e", ".[test]")
        stamp.write_text(wanted)
    probe = subprocess.run(  # noqa: S603
        [str(PYTHON), "-c", "import weasyprint"], cwd=ROOT, capture_output=True, text=True
    )
    if probe.returncode != 0:
        sys.exit(
            "WeasyPrint (PDF reports) cannot load its system libraries.\n"
            "On Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core\n"
            "On macOS: brew install pango\n\n" + probe.stderr.strip().splitlines()[-1]
        )


def build_assets() -> None:
    stamp = ROOT / "node_modules" / ".built"
    wanted = digest(ROOT / "package-lock.json", ROOT / "static" / "src" / "app.scss")
    if (
        (ROOT / "static" / "build" / "app.css").exists()
        and stamp.exists()
        and stamp.read_text() == wanted
    ):
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "Node.js with npm is needed once, to build the GOV.UK Frontend stylesheet (https://nodejs.org)."
        )
    say("Installing and building front-end assets (GOV.UK Frontend, Sass)")
    run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
    run(npm, "run", "build", "--silent")
    stamp.write_text(wanted)


def ensure_chromium() -> None:
    """Browser tests use Debian's Chromium; install it when we are root on Debian, else say how."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("Installing Debian's Chromium for the browser tests")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "chromium")
    else:
        say(
            "Chromium is not installed: browser tests will be skipped (sudo apt-get install chromium)"
        )


def django_env(**extra: str) -> dict:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra}
    env.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.settings")
    return env


def port_is_free(port: int) -> bool:
    """Whether the web server could listen on this port of 127.0.0.1 (what runserver binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def chosen_port(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/dev.py start")
    parser.add_argument(
        "--port",
        type=int,
        # A string default goes through `type` too, so a bad PORT is reported like a bad --port.
        default=os.environ.get("PORT") or "8000",
        help="port of the web server (default: $PORT, else 8000)",
    )
    port = parser.parse_args(args).port
    if not 0 < port < 65536:
        parser.error(f"--port must be between 1 and 65535 (got {port})")
    return port


def _relay(name: str, stream) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"{name:<6} | {line}")
        sys.stdout.flush()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def supervise(commands: dict[str, tuple[list[str], int]], env: dict) -> int:
    """Run the processes side by side, their output prefixed with their name, until one ends or
    Ctrl+C. On Ctrl+C each process group is sent its stop signal (the web server's autoreloader and
    its child take SIGINT; the Celery worker, SIGTERM: a warm shutdown that finishes the current
    task) and waited for: nothing is killed unless Ctrl+C is pressed a second time."""
    processes = {
        name: subprocess.Popen(  # noqa: S603 - our own fixed commands
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            # Their own process groups: the terminal's Ctrl+C reaches only this script, which then
            # asks each to stop once, in the way it stops cleanly.
            start_new_session=True,
        )
        for name, (command, _) in commands.items()
    }
    relays = [
        threading.Thread(target=_relay, args=(name, process.stdout), daemon=True)
        for name, process in processes.items()
    ]
    for relay in relays:
        relay.start()
    stopping = False
    one_ended = False

    def stop(signum, frame):
        nonlocal stopping
        if stopping:
            say("Stopping at once")
            for process in processes.values():
                _signal_group(process, signal.SIGKILL)
            return
        stopping = True
        say("Stopping the web server and the worker (Ctrl+C again to stop at once)")
        for name, process in processes.items():
            if process.poll() is None:
                if name == "web":
                    _signal_group(process, commands[name][1])
                else:
                    process.send_signal(commands[name][1])

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        while all(process.poll() is None for process in processes.values()):
            threading.Event().wait(0.2)
        if not stopping:
            ended = next(name for name, process in processes.items() if process.poll() is not None)
            say(f"The {ended} process ended; stopping the others")
            one_ended = True
            stop(signal.SIGTERM, None)
        for process in processes.values():
            process.wait()
    finally:
        for relay in relays:
            relay.join(timeout=1)
        for process in processes.values():
            process.stdout.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 1 if one_ended else 0


def start(args: list[str]) -> None:
    port = chosen_port(args)
    # Before the minute of installing and migrating, not after: a busy port is said at once.
    if not port_is_free(port):
        sys.exit(
            f"Port {port} is already in use on this machine (another program is listening).\n"
            f"Start on another port:  python3 scripts/dev.py start --port {port + 1}\n"
            f"(or set PORT={port + 1})."
        )
    install_python()
    build_assets()
    env = django_env(DEBUG=os.environ.get("DEBUG", "true"))
    say("Preparing the database")
    run(str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    # The embedded default's shared cache (sign-in limits, rate limits, API throttles) is a table.
    run(str(PYTHON), "manage.py", "createcachetable", env=env)
    run(str(PYTHON), "manage.py", "seed_demo", env=env)
    if not port_is_free(port):
        sys.exit(
            f"Port {port} was taken while the service was being prepared: try --port {port + 1}."
        )
    say(
        f"Starting the web server on http://localhost:{port} and a background worker "
        "(Ctrl+C stops both)"
    )
    code = supervise(
        {
            "web": ([str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}"], signal.SIGINT),
            "worker": (
                [
                    str(BIN / "celery"),
                    "-A",
                    "socialvalue",
                    "worker",
                    "--beat",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "info",
                ],
                signal.SIGTERM,
            ),
        },
        {**env, "PYTHONUNBUFFERED": "1"},
    )
    say("Stopped")
    sys.exit(code)


def manage(args: list[str]) -> None:
    """A manage.py command with the development settings (DEBUG on, the embedded defaults)."""
    install_python()
    env = django_env(DEBUG=os.environ.get("DEBUG", "true"))
    sys.exit(run(str(PYTHON), "manage.py", *args, env=env, check=False))


def parallel_args(pytest_args: list[str]) -> list[str]:
    """pytest-xdist's options, unless the arguments already choose (-n, --dist, -p no:xdist).

    One worker process per core (`-n auto`), each with its own test database and data folder
    (tests/settings.py). Tests marked `xdist_group` run together on one worker
    (`--dist loadgroup`), and tests keep pytest-django's order (`--no-loadscope-reorder`): on
    each worker the tests that roll back run before those that empty the tables."""
    for index, arg in enumerate(pytest_args):
        option = arg.split("=", 1)[0]
        following = pytest_args[index + 1] if index + 1 < len(pytest_args) else ""
        if (
            option in ("-n", "--numprocesses", "--dist", "--maxprocesses")
            or (arg.startswith("-n") and not arg.startswith("--"))
            or arg == "-pno:xdist"
            or (arg == "-p" and following == "no:xdist")
        ):
            return []
    return ["-n", "auto", "--dist", "loadgroup", "--no-loadscope-reorder"]


def test(pytest_args: list[str]) -> None:
    install_python()
    build_assets()
    ensure_chromium()
    env = django_env(DJANGO_SETTINGS_MODULE="tests.settings")
    extra = parallel_args(pytest_args)
    say(
        "Running the test suite"
        + (
            " in parallel, one process per core (pytest-xdist; -n 0 runs it in one)"
            if extra
            else ""
        )
    )
    code = run(str(PYTHON), "-m", "pytest", *extra, *pytest_args, env=env, check=False)
    if code == 5:
        sys.exit("pytest collected no tests: that is a failure, not a pass.")
    sys.exit(code)


def check() -> None:
    install_python()
    env = django_env(DEBUG="true")
    say("ruff check")
    run(str(BIN / "ruff"), "check", ".")
    say("ruff format --check")
    run(str(BIN / "ruff"), "format", "--check", ".")
    say("lint-imports (the import contracts in pyproject.toml; ARCHITECTURE.md draws them)")
    run(str(BIN / "lint-imports"), "--no-cache")
    say("makemigrations --check")
    run(str(PYTHON), "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    say("check --deploy with production settings")
    production = django_env(
        DEBUG="false",
        SECRET_KEY=hashlib.sha256(os.urandom(32)).hexdigest() + "-deploy-check",
        AUDIT_KEY=hashlib.sha256(os.urandom(32)).hexdigest(),
        ALLOWED_HOSTS="socialvalue.example.org",
    )
    run(str(PYTHON), "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production)


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "start":
        start(rest)
    elif command == "manage":
        manage(rest)
    elif command == "test":
        test(rest)
    elif command == "check":
        check()
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)


if __name__ == "__main__":
    main()
