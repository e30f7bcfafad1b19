"""Rules and transitions of the bilan de commission (003:363-439), as plain functions taking the acting user.

Views and the API check the policy first; these functions enforce the domain rules (required fields,
the commission's scale, 3 + 3 selections, the lock after adoption), write the audit events and only
flush: the request commits.

One module per sub-feature, re-exported here: ``apercu_templates`` (the base template and each service's
own), ``apercus`` (writing and submitting an aperçu, who sees which), ``comments`` (the two spaces),
``bilan`` (the commission's scale, ranking, the groups' selections, adoption), ``activity_reports``
(the services’ PDFs and the aperçus’ attachments; its `MAX_REPORT_BYTES` is read there, not re-exported);
``common`` holds the limits and labels.
"""

from webapp.commissions.service.activity_reports import (
    attach_to_apercu,
    attachable_apercus,
    reports,
    upload_report,
)
from webapp.commissions.service.apercu_templates import (
    EffectiveTemplate,
    base_template,
    own_template,
    parse_extra_fields,
    save_template,
    template_for,
)
from webapp.commissions.service.apercus import (
    apercus_to_comment,
    commission_apercus,
    create_apercu,
    current_commissions,
    get_apercu,
    submit_apercu,
    unit_apercus,
    update_apercu,
)
from webapp.commissions.service.bilan import (
    SelectionView,
    adopt,
    rank,
    ranking_table,
    resolve,
    save_selection,
    selection,
    selections_of,
    session_of,
    set_scale,
)
from webapp.commissions.service.comments import add_comment, space_comments, update_comment
from webapp.commissions.service.common import (
    DEFAULT_LABELS,
    MAX_EXTRA_FIELDS,
    MAX_ROWS,
    MAX_SCALE,
    MAX_TEXT,
    REQUIRED_TO_SUBMIT,
    TEXT_FIELDS,
    slugify,
)

__all__ = [
    "DEFAULT_LABELS", "MAX_EXTRA_FIELDS", "MAX_ROWS", "MAX_SCALE", "MAX_TEXT",
    "REQUIRED_TO_SUBMIT", "TEXT_FIELDS", "EffectiveTemplate", "SelectionView", "add_comment", "adopt",
    "apercus_to_comment", "attach_to_apercu", "attachable_apercus", "base_template", "commission_apercus",
    "create_apercu", "current_commissions", "get_apercu", "own_template", "parse_extra_fields",
    "rank", "ranking_table", "reports", "resolve", "save_selection", "save_template", "selection", "selections_of",
    "session_of", "set_scale", "slugify", "space_comments", "submit_apercu", "template_for", "unit_apercus",
    "update_apercu", "update_comment", "upload_report",
]
