"""The catalogue upload's size limit is stated from the one constant that enforces it."""

import pytest
from django.core.exceptions import ValidationError

from measurement import services


def test_a_file_one_byte_over_the_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 3 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        services.decode_upload(b"x" * (3 * 1024 * 1024 + 1))
    assert refused.value.message_dict["file"] == [
        "The file is larger than 3 MB; a catalogue CSV is smaller."
    ]


def test_a_file_at_the_limit_is_read():
    header = b"code,name\n"
    data = header + b"x" * (services.MAX_UPLOAD_BYTES - len(header))
    assert services.decode_upload(data).startswith("code,name")
