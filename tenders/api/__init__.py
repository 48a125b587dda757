"""Read-only JSON API for published opportunities (URLs in tenders/api/urls.py, included from
socialvalue/api_urls.py).

GET /api/opportunities/ lists published tenders with the filters of the opportunities page
(tenders.filters); GET /api/tenders/<id>/ gives one tender's lots, award criteria, weights, dates
and price method. Only what a tender publishes: never a draft, never anything about bids (not even
how many). No sign-in: the same answer for everyone, read through tenders.selectors; throttled
per address. The serializers are the one statement of each answer; the OpenAPI schema reads them.
"""
