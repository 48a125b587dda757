"""Fixtures shared by all tests: people in each role, signed-in clients."""

import contextlib
import uuid
from pathlib import Path

import pytest

from socialvalue.models import Role
from tests.factories import AuthorityFactory, BidderOrganisationFactory, person_with_role


def _database_order(item: pytest.Item) -> int:
    """pytest-django's order: 0 for tests rolled back, 1 for those that empty every table after
    them (transactional, live_server), 2 for those without the database."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if (
        (
            marker is not None
            and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
        )
        or (marker is not None and marker.kwargs.get("reset_sequences"))
        or {
            "transactional_db",
            "live_server",
        }
        & fixtures
    ):
        return 1
    if marker is not None or "db" in fixtures:
        return 0
    return 2


def _weight(item: pytest.Item) -> int:
    if item.get_closest_marker("xdist_group"):
        return 0
    if item.get_closest_marker("browser") or item.get_closest_marker("worker"):
        return 1
    return 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Within each of pytest-django's three parts (rolled back, emptying the tables, no
    database), the heaviest tests start first: an xdist_group (the accessibility walk), then
    browser and real-worker tests. With `--dist loadgroup --no-loadscope-reorder` (scripts/dev.py
    test) one worker takes the group while the other runs the rest, instead of one starting a
    long group when the other has nothing left; pytest-django's order holds on each worker."""
    orders = [_database_order(item) for item in items]
    if orders != sorted(orders):
        return  # not pytest-django's order as computed here: leave it as it is
    items[:] = [
        item
        for _, item in sorted(
            zip(orders, items, strict=True), key=lambda pair: (pair[0], _weight(pair[1]))
        )
    ]


@pytest.fixture(autouse=True)
def _own_audit_anchors(settings):
    """Each test reads only the audit anchors it wrote, as each has its own audit trail; they
    are deleted after it."""
    settings.AUDIT_ANCHOR_DIR = f"audit-anchors-test/{uuid.uuid4().hex}"
    yield
    delete_stored_folder(settings.AUDIT_ANCHOR_DIR)


@pytest.fixture(autouse=True)
def _close_file_responses(monkeypatch):
    """A download the test did not read to the end (a FileResponse) still holds its file open:
    close every streamed response when the test ends, so no test leaves a file open."""
    from django.test import Client

    streamed = []
    request = Client.request

    def recording_request(self, **kwargs):
        response = request(self, **kwargs)
        if getattr(response, "streaming", False):
            streamed.append(response)
        return response

    monkeypatch.setattr(Client, "request", recording_request)
    yield
    from django.core.signals import request_finished
    from django.db import close_old_connections

    # As Django's test client does: closing a response must not close the test's connection.
    request_finished.disconnect(close_old_connections)
    try:
        for response in streamed:
            response.close()
    finally:
        request_finished.connect(close_old_connections)


def delete_stored_folder(folder: str) -> None:
    from django.core.files.storage import default_storage

    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in folders:
        delete_stored_folder(f"{folder}/{name}")
    # A local folder is left empty by the storage API; remove it too.
    path = getattr(default_storage, "location", None)
    if path:
        with contextlib.suppress(OSError):
            (Path(path) / folder).rmdir()


@pytest.fixture
def authority(db):
    return AuthorityFactory()


@pytest.fixture
def bidder_org(db):
    return BidderOrganisationFactory()


@pytest.fixture
def commissioner(authority):
    return person_with_role(Role.COMMISSIONER, authority)


@pytest.fixture
def procurement_officer(authority):
    return person_with_role(Role.PROCUREMENT_OFFICER, authority)


@pytest.fixture
def evaluator(authority):
    return person_with_role(Role.EVALUATOR, authority)


@pytest.fixture
def org_admin(authority):
    return person_with_role(Role.ORG_ADMIN, authority)


@pytest.fixture
def bidder(bidder_org):
    return person_with_role(Role.BIDDER, bidder_org)


@pytest.fixture
def compact_member(db):
    return person_with_role(Role.COMPACT_MEMBER)


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server, django_db_blocker):
    """pytest-django's live server, started after the test database and stopped before it is dropped.

    Chromium keeps connections alive, so a server thread can still hold a database session when the
    test database is dropped ("being accessed by other users"): the server goes first, and any
    session its threads left is ended.
    """
    yield live_server
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
