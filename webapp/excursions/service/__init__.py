"""Rules of excursions pratiques: preparation and protocol, invitation, evidence capture (idempotent by
client UUID), and the co-written mini-bilan.

Services flush; the request (or the worker task) commits. Media storage (resumable chunks checked by
SHA-256) lives in ``media.py``, quotas in ``quotas.py``. One module per sub-feature, re-exported here:
``preparation`` (creating, inviting, acknowledging, done or cancelled, the calendar file), ``capture``
(evidence items and their media, in bundles), ``bilan`` (the mini-bilan, its PDF joined to a note or an
aperçu); ``common`` holds loading, who sees which excursion and the limits.
"""

from webapp.excursions.service.bilan import (
    BilanConflict,
    attach_bilan_to_apercu,
    attach_bilan_to_note,
    attachable_notes,
    bilan_etag,
    compile_evidence,
    update_bilan,
)
from webapp.excursions.service.capture import (
    add_item,
    add_items,
    bundle_limits,
    item_synced,
    media_max_bytes,
    missing_media,
)
from webapp.excursions.service.common import (
    MAX_DURATION_MINUTES,
    MEDIA_TYPES,
    excursion_url,
    get_excursion,
    media_url,
    upcoming_and_past,
    visible_query,
)
from webapp.excursions.service.preparation import (
    acknowledge,
    cancel,
    create_excursion,
    default_consent_text,
    eligible_elus,
    ics,
    mark_done,
    update_preparation,
)

__all__ = [
    "MAX_DURATION_MINUTES", "MEDIA_TYPES", "BilanConflict", "acknowledge", "add_item",
    "add_items", "attach_bilan_to_apercu", "attach_bilan_to_note", "attachable_notes", "bilan_etag",
    "bundle_limits", "cancel", "compile_evidence", "create_excursion", "default_consent_text", "eligible_elus",
    "excursion_url", "get_excursion", "ics", "item_synced", "mark_done", "media_max_bytes", "media_url",
    "missing_media", "upcoming_and_past", "update_bilan", "update_preparation", "visible_query",
]
