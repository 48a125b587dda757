"""The shape ARCHITECTURE.md describes: the pure engines load no framework when imported."""

import subprocess
import sys

import pytest

ENGINES = [
    "socialvalue.kernel.money",
    "socialvalue.kernel.dates",
    "socialvalue.act.engine",
    "tenders.scoring",
    "tenders.award_rules",
    "tenders.policy",
    "tenders.panel",
    "measurement.valuation",
    "measurement.proportionality",
    "measurement.plausibility",
    "measurement.catalogue",
    "measurement.wages",
    "measurement.delivery.schedule",
    "compact.checks",
]


@pytest.mark.parametrize("module", ENGINES)
def test_importing_an_engine_loads_neither_django_nor_celery(module):
    probe = (
        f"import sys, os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); import {module}; "
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'django', 'celery', 'kombu'}); "
        "print(','.join(loaded)); "
        "print(os.environ.get('DJANGO_SETTINGS_MODULE', ''))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded, settings_module = result.stdout.splitlines()
    assert loaded == "", f"importing {module} loaded {loaded}"
    assert settings_module == "", f"importing {module} set DJANGO_SETTINGS_MODULE"


def test_every_catalogue_module_is_in_the_import_layers():
    """measurement's modules are listed one by one in the layers contract (a layer cannot hold
    delivery, which sits above tenders): a new module must join the list."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    listed = {name.strip() for layer in layers for name in layer.split(":")}
    modules = {
        f"measurement.{path.stem}"
        for path in (root / "measurement").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists() and path.name != "delivery")
    }
    assert modules <= listed, sorted(modules - listed)
