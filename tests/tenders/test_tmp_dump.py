import json
import pytest
from django.core.management import call_command
from tenders.ocds import schemas
from tests.tenders.test_ocds import _errors, _package_errors

pytestmark = pytest.mark.django_db


def test_dump(client):
    call_command("seed_demo")
    package = client.get("/api/ocds/releases/").json()
    json.dump(package, open("/tmp/demo_package.json", "w"), indent=1)
    errs = _package_errors(package)
    for r in package["releases"]:
        errs += _errors(r, schemas.release_schema())
        errs += _errors(r, schemas.standard_release_schema())
    print("\n".join(errs[:30]))
    assert not errs
