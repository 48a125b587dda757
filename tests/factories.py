"""factory-boy factories shared by every app's tests."""

import factory
from django.utils import timezone

from socialvalue.models import Membership, Organisation, OrganisationKind, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Borough Council {n}")
    kind = OrganisationKind.AUTHORITY
    authority_type = "local_authority"
    nation = "england"


class BidderOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Community Trust {n}")
    kind = OrganisationKind.BIDDER
    bidder_type = "voluntary"


class CompactGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Compact Group {n}")
    kind = OrganisationKind.COMPACT_GROUP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(AuthorityFactory)
    role = Role.COMMISSIONER


def person_with_role(role: str, organisation: Organisation | None = None, **user_fields) -> User:
    """A user holding `role` in `organisation` (a new one of the right sort when not given)."""
    if organisation is None:
        if role == Role.BIDDER:
            organisation = BidderOrganisationFactory()
        elif role == Role.COMPACT_MEMBER:
            organisation = CompactGroupFactory()
        else:
            organisation = AuthorityFactory()
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def now():
    return timezone.now()
