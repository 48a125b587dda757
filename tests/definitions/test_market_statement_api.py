"""GET /api/market-statements/: the authorities with an adopted definition, and each one's
priorities and measures, for anyone; never a draft or a definition in review."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from socialvalue.models import DefinitionStatus, LocalDefinition, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def test_anyone_reads_the_adopted_definitions_and_nothing_else(client):
    call_command("seed_demo")
    listing = client.get("/api/market-statements/")
    assert listing.status_code == 200
    authorities = listing.json()["results"]
    adopted = LocalDefinition.objects.filter(status=DefinitionStatus.ADOPTED)
    assert {a["id"] for a in authorities} == set(adopted.values_list("authorities", flat=True))
    statement = client.get(authorities[0]["url"])
    assert statement.status_code == 200 and statement.has_header("ETag")
    definition = statement.json()["definition"]
    assert definition["priorities"] and all(p["measures"] for p in definition["priorities"])
    assert definition["id"] in adopted.values_list("pk", flat=True)
    for other in LocalDefinition.objects.exclude(status=DefinitionStatus.ADOPTED):
        assert other.title not in statement.content.decode()


def test_an_authority_without_an_adopted_definition_is_not_found(client, authority):
    response = client.get(f"/api/market-statements/{authority.slug}/")
    assert response.status_code == 404
    assert client.get("/api/market-statements/no-such-authority/").status_code == 404
    assert Organisation.objects.filter(slug=authority.slug).exists()
