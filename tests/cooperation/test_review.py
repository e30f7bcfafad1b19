"""The six-month review of a pair seeded with six months of generated history: its figures equal those
computed here, independently, from what was generated; accepting a proposed change gives version 2 with
its diff; the reminder opens the review six months after the first version; who may read it."""

from __future__ import annotations

import math
import re
import statistics
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.cooperation.helpers import agreed_charter, kind, pair
from tests.cooperation.history import generate
from webapp.cooperation import review, reviews, service
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.push.models import Notification

RULES = {"information": 7, "decision_courante": 10, "decision_urgente": 1}
PARIS = ZoneInfo("Europe/Paris")


def _seeded(make):
    p = pair(make)
    charter = agreed_charter(p, {key: {"deadline_days": days} for key, days in RULES.items()})
    start = utcnow() - timedelta(days=200)
    charter.first_agreed_at = start  # agreed six months and more ago
    db.session.commit()
    made = generate(p, {key: kind(key).id for key in RULES}, RULES, start)
    return p, charter, start, made


def _expected(notes: list[dict], now) -> dict:
    """The figures of one type, computed from the generated facts alone."""
    days = [(n["answered"] - n["sent"]).total_seconds() / 86400 for n in notes if n["answered"]]
    acks = [(n["acknowledged"] - n["sent"]).total_seconds() / 3600 for n in notes if n["acknowledged"]]
    judged = [n for n in notes if n["answered"] or n["deadline"] < now]
    on_time = [n for n in judged if n["answered"] and n["answered"] <= n["deadline"]]

    def outside(moment) -> bool:
        local = moment.astimezone(PARIS)
        return local.isoweekday() in (6, 7) or local.hour < 8 or local.hour >= 19

    return {"notes": len(notes), "median_days": round(statistics.median(days), 2) if days else None,
            "on_time_share": round(len(on_time) / len(judged), 2) if judged else None,
            "overdue": len(judged) - len(on_time),
            "median_ack_hours": round(statistics.median(acks), 2) if acks else None,
            "outside_hours": sum(1 for n in notes if n["answered"] and outside(n["answered"])),
            **{name: sum(n[name] for n in notes) for name in ("delegations", "renegotiations", "questions",
                                                               "paged", "escalated")}}


def _cells(html: str, type_id) -> list[str]:
    row = re.search(rf'<tr[^>]*data-type="{type_id}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_the_review_shows_the_figures_computed_from_the_same_history(client, make):
    p, charter, start, made = _seeded(make)
    item = reviews.open_review(p.head, charter, p.elu, start, start + reviews.SIX_MONTHS)
    db.session.commit()
    now = utcnow()
    found = review.figures(item, now)
    by_type = {f.type_id: f for f in found["types"]}
    assert set(by_type) == {kind(key).id for key in RULES}  # the noise (other élu, service, period) left out
    for key in RULES:
        mine = [n for n in made.notes if n["type"] == kind(key).id]
        want, got = _expected(mine, now), by_type[kind(key).id]
        assert {name: getattr(got, name) for name in want} == want, key
        assert got.agreed_days == RULES[key]
    assert found["total"].notes == len(made.notes) == 90
    assert [e["title"] for e in found["excursions"]] == [e["title"] for e in made.excursions]
    assert found["bilans"] == sum(1 for e in made.excursions if e["bilan"]) == 1

    client.login(p.elu)
    html = client.get(f"/cooperation/reviews/{item.id}").get_data(as_text=True)
    info = _expected([n for n in made.notes if n["type"] == kind("information").id], now)
    cells = _cells(html, kind("information").id)
    assert cells[0] == "Information" and cells[1] == str(info["notes"]) and cells[2] == "7"
    assert cells[4] == f"{round(info['on_time_share'] * 100)} %" and cells[5] == str(info["overdue"])
    assert cells[6:9] == [str(info["renegotiations"]), str(info["questions"]), str(info["delegations"])]
    urgent = _cells(html, kind("decision_urgente").id)
    assert urgent[11:13] == [str(sum(n["paged"] for n in made.notes)), str(sum(n["escalated"] for n in made.notes))]
    assert 'role="img"' in html and "<caption>Chiffres par type de situation</caption>" in html
    assert "2 excursion(s) faite(s), 1 mini-bilan(s) écrit(s)." in html


def test_accepting_a_proposed_change_gives_version_2_with_its_diff(client, make):
    p, charter, start, made = _seeded(make)
    item = reviews.open_review(p.head, charter, p.elu, start, start + reviews.SIX_MONTHS)
    db.session.commit()
    info_days = [(n["answered"] - n["sent"]).total_seconds() / 86400 for n in made.notes
                 if n["type"] == kind("information").id and n["answered"]]
    ordered = sorted(info_days)
    shorter = max(1, math.ceil(ordered[math.ceil(0.75 * len(ordered)) - 1]))
    client.login(p.elu)
    page = client.get(f"/cooperation/reviews/{item.id}").get_data(as_text=True)
    assert "pour 7 convenus : raccourcir." in page and f"Délai : 7 → {shorter} jours" in page
    client.post(f"/cooperation/reviews/{item.id}/answers", data={
        "lose_time": "Les relances le week-end.", "gain_time": "Les notes d’information courtes.",
        "complicated": "Les arbitrages entre services."})
    page = client.get(f"/cooperation/reviews/{item.id}").get_data(as_text=True)
    assert "Les relances le week-end." in page and "Pas encore de réponse." in page  # the head has not answered

    accepted = client.post(f"/cooperation/reviews/{item.id}/accept",
                           data={"situation_type_id": str(kind("information").id)})
    assert accepted.status_code == 302
    version = service.open_version(charter)
    assert version.number == 2 and version.status == "draft"
    charter_page = client.get(f"/cooperation/{charter.id}").get_data(as_text=True)
    assert "Version 2 · Brouillon" in charter_page
    assert f"<del>7</del> → <ins>{shorter}</ins>" in charter_page
    client.post(f"/cooperation/{charter.id}/propose", data={})
    client.post(f"/cooperation/{charter.id}/agree")
    client.login(p.head)
    client.post(f"/cooperation/{charter.id}/agree")
    history = client.get(f"/cooperation/{charter.id}/history").get_data(as_text=True)
    assert "Version 2 · En vigueur" in history and f"<del>7</del> → <ins>{shorter}</ins>" in history
    assert service.rule_for_unit(p.unit.id, kind("information").id).deadline_days == shorter


def test_the_review_prints_to_pdf(client, make):
    p, charter, start, _made = _seeded(make)
    item = reviews.open_review(p.head, charter, p.elu, start, start + reviews.SIX_MONTHS)
    db.session.commit()
    client.login(p.head)
    response = client.get(f"/cooperation/reviews/{item.id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_the_reminder_opens_the_review_six_months_after_the_first_version_once(make):
    p = pair(make)
    charter = agreed_charter(p, {"information": {"deadline_days": 7}})
    assert reviews.open_due_reviews() == 0  # agreed today: not yet
    charter.first_agreed_at = utcnow() - timedelta(days=190)
    db.session.commit()
    assert reviews.open_due_reviews() == 1
    assert reviews.open_due_reviews() == 0
    db.session.commit()
    told = {n.user_id for n in db.session.scalars(db.select(Notification).where(Notification.kind == "coop.review"))}
    assert told == {p.elu.id, p.head.id}
    assert len(review.reviews_of(charter)) == 1


def test_only_the_pair_reads_its_review(client, make):
    p = pair(make)
    charter = agreed_charter(p, {"information": {"deadline_days": 7}})
    item = reviews.open_review(p.head, charter, p.elu, utcnow() - timedelta(days=10), utcnow())
    db.session.commit()
    url = f"/cooperation/reviews/{item.id}"
    for person, status in ((p.outsider, 404), (p.agent, 404), (p.elu, 200), (p.head, 200)):
        client.login(person)
        assert client.get(url).status_code == status, person.name
    client.login(p.agent)
    assert client.post(f"{url}/answers", data={"lose_time": "x"}).status_code == 404
    assert client.post(f"{url}/accept", data={"situation_type_id": str(kind("information").id)}).status_code == 404
