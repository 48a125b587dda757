"""Uploaded files: the type and size limits (settings may override them), the check of
a file's contents against its type, and storing it with its row."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from socialvalue.models import User
from tenders.models import Tender, TenderDocument

# Attachment limits; settings may override them (TENDERS_ATTACHMENT_MAX_BYTES and
# TENDERS_ATTACHMENT_TYPES: {".ext": "content/type"}).
DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


DEFAULT_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


# The first bytes each type must start with (text types are checked for being text instead).
_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def attachment_max_bytes() -> int:
    return getattr(settings, "TENDERS_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)


def attachment_types() -> Mapping[str, str]:
    return getattr(settings, "TENDERS_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES)


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) for an allowed file, or a ValidationError on `file`."""
    limit = attachment_max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": f"The file must be smaller than {limit // (1024 * 1024)} MB."}
        )
    if upload.size == 0:
        raise ValidationError({"file": "The file is empty."})
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    types = attachment_types()
    if suffix not in types:
        allowed = ", ".join(sorted(s.lstrip(".").upper() for s in types))
        raise ValidationError({"file": f"The file must be a {allowed}."})
    head = upload.read(16)
    upload.seek(0)
    signatures = _SIGNATURES.get(suffix)
    if signatures is not None and not head.startswith(signatures):
        raise ValidationError(
            {"file": f"The file is not a real {suffix.lstrip('.').upper()} file."}
        )
    if signatures is None and b"\x00" in head:
        raise ValidationError({"file": "The file should be plain text."})
    return suffix, types[suffix]


def _store_file(row, *, actor: User, upload: UploadedFile, stem: str, checked=None):
    """Check an upload (type, size, contents; unless `checked` gives the result already) and
    save it with its row (a StoredFile)."""
    suffix, content_type = checked or _check_upload(upload)
    row.original_name = PurePosixPath(upload.name).name[:255]
    row.content_type = content_type
    row.size = upload.size
    row.sha256 = _file_digest(upload)
    row.uploaded_by = actor
    row.file.save(f"{stem}{suffix}", upload, save=False)
    row.save()
    return row


def _store_document(
    *, actor: User, tender: Tender, title: str, upload: UploadedFile, amendment=None
) -> TenderDocument:
    return _store_file(
        TenderDocument(tender=tender, amendment=amendment, title=title),
        actor=actor,
        upload=upload,
        stem="document",
    )
