"""Copy the UK bank holidays bundled in the `govuk-bank-holidays` package into
tenders/data/bank_holidays.json, with its source and the date copied.

The service never fetches bank holidays at run time: the award rules read the copy in
tenders/data/. Run this after upgrading the package (its data ends at the year it was built),
review the difference and commit it:

    .venv/bin/python scripts/refresh_bank_holidays.py
"""

import json
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "tenders" / "data" / "bank_holidays.json"


def main() -> None:
    bundled = json.loads(
        resources.files("govuk_bank_holidays").joinpath("bank-holidays.json").read_text("utf-8")
    )
    version = metadata.version("govuk-bank-holidays")
    divisions = {
        name: [{"date": e["date"], "title": e["title"]} for e in division["events"]]
        for name, division in bundled.items()
    }
    every = [e["date"] for events in divisions.values() for e in events]
    document = {
        "description": (
            "UK bank holidays by division (England and Wales, Scotland, Northern Ireland), as "
            "published by GOV.UK. Read offline by tenders.award_rules to count working days; "
            "never fetched at run time. Dates outside covers_from..covers_to are refused, not "
            "guessed."
        ),
        "covers_from": f"{min(every)[:4]}-01-01",
        "covers_to": f"{max(every)[:4]}-12-31",
        "copied_on": datetime.now(UTC).date().isoformat(),
        "sources": [
            {
                "title": "GOV.UK, UK bank holidays (bank-holidays.json)",
                "url": "https://www.gov.uk/bank-holidays.json",
                "read_via": f"the data bundled in the govuk-bank-holidays package, version {version}",
                "confirmed": True,
            }
        ],
        "divisions": divisions,
    }
    TARGET.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TARGET} ({len(every)} dates, govuk-bank-holidays {version})")


if __name__ == "__main__":
    main()
