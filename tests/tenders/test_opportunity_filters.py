"""The opportunities filters are one declaration: the page and the API narrow the list alike;
a refused filter is shown next to its field on the page (the others still apply) and is a 400
naming it in the API."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Role
from tests.factories import AuthorityFactory, person_with_role
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db

API = "/api/opportunities/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def listed(procurement_officer, authority):
    """Tenders of two authorities, of several values and deadlines, one past its deadline."""
    build_tender(procurement_officer, authority, title="Small grounds job", value=Decimal("20000"))
    build_tender(procurement_officer, authority, title="Large care contract", value=Decimal("3e6"))
    build_tender(
        procurement_officer, authority, title="Later library job", deadline_in=timedelta(days=60)
    )
    start = timezone.now() - timedelta(days=10)
    build_tender(
        procurement_officer, authority, now=start, deadline_in=timedelta(days=2), title="Gone"
    )
    other = AuthorityFactory()
    build_tender(person_with_role(Role.PROCUREMENT_OFFICER, other), other, title="Elsewhere")
    return other


def page_titles(html: str) -> list[str]:
    return re.findall(
        r'<h2 class="govuk-heading-m[^"]*"><a class="govuk-link" href="[^"]*">([^<]*)<', html
    )


def api_titles(client, params) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "care"},
        {"value": "small"},
        {"closing": "30"},
        {"lot": "library"},
        {"closed": "on"},
        {"closed": "true", "q": "o"},
        {"closing": "90", "value": "small", "closed": "1"},
    ],
    ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()) or "none",
)
def test_the_page_and_the_api_list_the_same_tenders(client, client_for, bidder, listed, params):
    page = client_for(bidder).get(reverse("tender-opportunities"), params).content.decode()
    assert page_titles(page) == api_titles(client, params)


def test_the_page_and_the_api_filter_by_authority_alike(client, client_for, bidder, listed):
    params = {"authority": listed.pk}
    page = client_for(bidder).get(reverse("tender-opportunities"), params).content.decode()
    assert page_titles(page) == api_titles(client, params) == ["Elsewhere"]


def test_a_refused_filter_is_shown_next_to_its_field_and_the_others_still_apply(
    client_for, bidder, listed
):
    html = (
        client_for(bidder)
        .get(reverse("tender-opportunities"), {"authority": "999999", "q": "care"})
        .content.decode()
    )
    assert "<title>Error: Opportunities" in html
    assert '<a href="#id_authority">Choose an authority from the list.</a>' in html
    assert "govuk-form-group--error" in html and 'aria-invalid="true" id="id_authority"' in html
    assert page_titles(html) == ["Large care contract"]
    assert 'name="q" value="care"' in html  # what was typed is kept


def test_the_api_refuses_a_word_that_is_not_yes_or_no(client, client_for, bidder, listed):
    response = client.get(API, {"closed": "maybe"})
    assert response.status_code == 400
    assert response.json() == {"closed": ["Include closed tenders must be true or false."]}
    html = client_for(bidder).get(reverse("tender-opportunities"), {"closed": "maybe"})
    assert "Include closed tenders must be true or false." in html.content.decode()
    assert "Gone" not in page_titles(html.content.decode())  # closed ones stay out


@pytest.mark.parametrize(
    ("no", "yes"), [("0", "1"), ("no", "yes"), ("FALSE", "TRUE"), ("off", "on")]
)
def test_closed_tenders_stay_out_unless_asked_for(client, listed, no, yes):
    assert "Gone" not in api_titles(client, {"closed": no})
    assert "Gone" not in api_titles(client, {"closed": ""})
    assert "Gone" in api_titles(client, {"closed": yes})


def test_the_page_offers_authorities_with_tenders_and_the_api_takes_any(
    client, client_for, bidder, listed
):
    quiet = AuthorityFactory(name="Quiet District Council")
    assert api_titles(client, {"authority": quiet.pk}) == []
    html = client_for(bidder).get(reverse("tender-opportunities")).content.decode()
    assert listed.name in html and "Quiet District Council" not in html
    assert client.get(API, {"authority": "999999"}).json() == {
        "authority": ["Choose an authority from the list."]
    }


def test_the_checkbox_keeps_its_state_and_sends_on(client_for, bidder, listed):
    html = client_for(bidder).get(reverse("tender-opportunities"), {"closed": "on"})
    box = re.search(r'<input type="checkbox" name="closed"[^>]*>', html.content.decode()).group()
    assert "checked" in box and "value=" not in box  # a ticked box sends "on"
