"""The demo seeds the Compact the issue asks for, once."""

import pytest

from compact.models import Consultation, DecommissioningAssessment, LocalCompact, ReviewComment
from socialvalue.core.demo import seed_all
from socialvalue.models import DefinitionStatus, LocalDefinition

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_compact_consultations_an_assessment_and_a_review_once():
    seed_all()
    lines = seed_all()
    assert "Compact: already seeded." in lines
    compact = LocalCompact.objects.get()
    signatories = list(compact.signatories.all())
    assert len([s for s in signatories if s.signed_on]) == 3
    assert len([s for s in signatories if not s.signed_on]) == 2
    consultations = list(Consultation.objects.all())
    assert any(c.is_open() and c.responses.exists() for c in consultations)
    assert any(c.is_closed and c.response_published for c in consultations)
    assert DecommissioningAssessment.objects.get().comments.exists()
    in_review = LocalDefinition.objects.get(status=DefinitionStatus.IN_REVIEW)
    assert ReviewComment.objects.filter(definition=in_review, parent__isnull=False).exists()
    assert compact.strategies.get().definition.status == DefinitionStatus.ADOPTED
