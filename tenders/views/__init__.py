"""Pages for tenders, the criteria builder, opportunities, clarifications and bids, by audience:
the authority's (authority, criteria), the bidder's (bidder), pages both open (shared) and the
helpers they use (common). tenders/urls.py names each view by its module.

Thin: read through tenders.selectors, check with require_perm, validate with a form, call one
service, redirect or render. Bid contents are only ever fetched through the sealed selectors.
"""
