#!/usr/bin/env python3
"""One command to run the service, one to test it, on a fresh machine with Python 3.11+ (and Node).

    python3 scripts/dev.py start   # install, migrate, load demo data, serve http://localhost:8000 + worker
    python3 scripts/dev.py test    # install, then run the whole test suite
    python3 scripts/dev.py check   # ruff, formatting and missing migrations (CI runs this too)

Everything is installed into ./.venv and ./node_modules; the embedded default keeps its SQLite file
and message broker under ./var. Set DATABASE_URL and CELERY_BROKER_URL to use PostgreSQL and Redis.
"""

import hashlib
import os
import shutil
import subprocess
import sys
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


def start() -> None:
    install_python()
    build_assets()
    env = django_env(DEBUG=os.environ.get("DEBUG", "true"))
    say("Preparing the database")
    run(str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    # The embedded default's shared cache (sign-in limits, rate limits, API throttles) is a table.
    run(str(PYTHON), "manage.py", "createcachetable", env=env)
    run(str(PYTHON), "manage.py", "seed_demo", env=env)
    say(
        "Starting the web server on http://localhost:8000 and a background worker (Ctrl+C stops both)"
    )
    os.chdir(ROOT)
    os.execve(str(BIN / "honcho"), [str(BIN / "honcho"), "-f", "Procfile.dev", "start"], env)  # noqa: S606


def test(pytest_args: list[str]) -> None:
    install_python()
    build_assets()
    ensure_chromium()
    env = django_env(DJANGO_SETTINGS_MODULE="tests.settings")
    say("Running the test suite")
    code = run(str(PYTHON), "-m", "pytest", *pytest_args, env=env, check=False)
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
        start()
    elif command == "test":
        test(rest)
    elif command == "check":
        check()
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)


if __name__ == "__main__":
    main()
