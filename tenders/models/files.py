"""What is kept about an uploaded file besides the file itself (a tender's documents, a bid's
attachments share it)."""

from django.conf import settings
from django.db import models


class StoredFile(models.Model):
    """What is kept about an uploaded file besides the file itself (stored through the storage
    API): the name it was uploaded under, its checked type, size and SHA-256, who and when."""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
