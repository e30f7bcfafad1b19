"""Web Push end to end without internet: the worker sends to a local stand-in push service that checks
the VAPID JWT and decrypts the payload like a browser would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from webapp.core.idempotency import IdempotentRequest
from webapp.extensions import db
from webapp.jobs import huey
from webapp.push import preferences
from webapp.push.models import PushPreference, PushSubscription
from webapp.push.service import notify

SECRET = "Le projet de budget prévoit 4,2 M€ pour la rocade"  # what a note says: must never travel


def mails_to(app, user) -> list[Path]:
    folder = Path(app.config["INSTANCE_PATH"]) / "mail"
    return sorted(folder.glob(f"*-{user.email}.eml")) if folder.exists() else []


def scheduled(name: str):
    return [task for task in huey.scheduled() if task.name.endswith(name)]


def run_due(at: datetime) -> list:
    """What the consumer's scheduler does at ``at``: take the tasks due by then and run them."""
    due = huey.read_schedule(at)
    for task in due:
        huey.execute(task, timestamp=at)
    return due


def test_a_notification_reaches_the_device_signed_and_encrypted(make, subscribed, push_service, vapid_keys):
    elu = make.elu("Martine Élue")
    device = subscribed(elu)
    notify([elu], kind="note_received", title="Nouvelle note à lire", body="De : Service voirie",
           url="/notes/123")
    db.session.commit()  # delivery is queued once the notification is committed

    [message] = push_service.received
    assert message.payload == {"title": "Nouvelle note à lire", "body": "De : Service voirie", "url": "/notes/123"}
    assert message.claims["sub"] == "mailto:dsi@vallee-haute.fr"
    assert message.headers["ttl"] == str(24 * 3600)
    assert message.headers["urgency"] == "normal"
    assert message.headers["content-encoding"] == "aes128gcm"
    subscription = db.session.scalar(db.select(PushSubscription))
    assert subscription.last_success_at is not None
    assert device.p256dh == subscription.p256dh


def test_the_payload_holds_title_text_and_link_only(make, subscribed, push_service):
    agent = make.agent()
    subscribed(agent)
    note_like = notify([agent], kind="note_answered", title="L’élu a répondu", body="Note : rocade nord",
                       url="/notes/9")[0]
    db.session.commit()
    [message] = push_service.received
    assert set(message.payload) == {"title", "body", "url"}
    assert SECRET not in str(message.payload) and note_like.title in message.payload["title"]


def test_each_device_of_a_person_gets_it_with_fresh_claims(make, subscribed, push_service):
    elu = make.elu()
    subscribed(elu, "phone")
    subscribed(elu, "tablet")
    notify([elu], kind="general", title="Rappel", url="/")
    db.session.commit()
    assert sorted(m.path for m in push_service.received) == ["/push/phone", "/push/tablet"]
    assert all(m.claims["aud"] == push_service.url for m in push_service.received)


def test_a_gone_subscription_is_deleted_and_mail_takes_over(app, make, subscribed, push_service):
    elu = make.elu()
    subscribed(elu)
    push_service.plan = [(410, {})]
    notify([elu], kind="general", title="Séance du conseil", url="/")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(PushSubscription)) == 0
    [mail] = mails_to(app, elu)
    assert "Séance du conseil" in mail.read_text()


def test_too_many_requests_is_retried_after_retry_after(make, subscribed, push_service):
    elu = make.elu()
    subscribed(elu)
    push_service.plan = [(429, {"Retry-After": "120"})]
    before = datetime.now(UTC).replace(tzinfo=None)
    notify([elu], kind="general", title="Rappel d’échéance", url="/notes/1")
    db.session.commit()
    assert len(push_service.received) == 1  # refused once
    [retry] = scheduled("push_to_subscription")
    assert timedelta(seconds=119) <= retry.eta - before <= timedelta(seconds=125)
    assert run_due(before + timedelta(seconds=60)) == []  # not before Retry-After
    assert run_due(retry.eta) == [retry]
    assert len(push_service.received) == 2
    assert db.session.scalar(db.select(PushSubscription)).last_success_at is not None


def test_a_server_error_is_retried_with_backoff(make, subscribed, push_service):
    elu = make.elu()
    subscribed(elu)
    push_service.plan = [(503, {}), (502, {})]
    notify([elu], kind="general", title="Rappel", url="/")
    db.session.commit()
    [first] = scheduled("push_to_subscription")
    assert first.eta - datetime.now(UTC).replace(tzinfo=None) > timedelta(seconds=55)  # a minute
    run_due(first.eta)
    [second] = scheduled("push_to_subscription")
    assert second.eta - datetime.now(UTC).replace(tzinfo=None) > timedelta(seconds=115)  # then two
    run_due(second.eta)
    assert len(push_service.received) == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(PushSubscription)) == 1


@pytest.mark.quiet_nights
def test_a_person_who_never_chose_is_not_pushed_at_night(make, subscribed, push_service):
    """Without saved preferences, nothing is pushed between 22h and 7h in Paris: held until 7h."""
    elu = make.elu()
    subscribed(elu)
    db.session.execute(db.delete(PushPreference).where(PushPreference.user_id == elu.id))
    db.session.commit()
    night = datetime(2026, 11, 22, 23, 30, tzinfo=preferences.PARIS).astimezone(UTC)
    assert preferences.quiet_until(preferences.of(elu), night) == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def test_people_without_a_device_are_told_by_mail(app, make, vapid_keys):
    agent = make.agent()
    notify([agent], kind="general", title="Votre note a été lue", url="/notes/4")
    db.session.commit()
    [mail] = mails_to(app, agent)
    text = mail.read_text()
    assert "Votre note a été lue" in text and "/notes/4" in text


def test_a_muted_family_is_neither_pushed_nor_mailed(app, make, subscribed, push_service):
    elu = make.elu()
    subscribed(elu)
    preferences.save(elu, muted_kinds=["note"], quiet_start=None, quiet_end=None)
    db.session.commit()
    notify([elu], kind="note.overdue", title="Note en retard", url="/notes/1")
    db.session.commit()
    assert push_service.received == [] and mails_to(app, elu) == []
    notify([elu], kind="excursion.invited", title="Invitation", url="/excursions/1")
    db.session.commit()
    assert [m.payload["title"] for m in push_service.received] == ["Invitation"]


def test_quiet_hours_defer_the_push_to_their_end(make, subscribed, push_service):
    elu = make.elu()
    subscribed(elu)
    now = datetime.now(UTC)
    # Quiet hours around the current Paris hour, whatever time the test runs.
    paris_hour = preferences.to_paris(now).hour
    preferences.save(elu, muted_kinds=[], quiet_start=paris_hour, quiet_end=(paris_hour + 2) % 24)
    db.session.commit()
    notify([elu], kind="general", title="Info", url="/")
    db.session.commit()
    assert push_service.received == []
    [later] = scheduled("deliver_notification")
    assert timedelta(hours=1) <= later.eta - now.replace(tzinfo=None) <= timedelta(hours=2)
    preferences.save(elu, muted_kinds=[], quiet_start=None, quiet_end=None)
    db.session.commit()
    run_due(later.eta)  # at the end of the quiet hours, it goes
    assert len(push_service.received) == 1


@pytest.mark.quiet_nights
def test_quiet_hours_default_to_the_night_in_paris():
    pref = PushPreference(muted_kinds=[], quiet_start=22, quiet_end=7)
    paris = preferences.PARIS
    night = datetime(2026, 11, 22, 23, 30, tzinfo=paris).astimezone(UTC)
    early = datetime(2026, 11, 23, 6, 0, tzinfo=paris).astimezone(UTC)
    day = datetime(2026, 11, 23, 12, 0, tzinfo=paris).astimezone(UTC)
    seven = datetime(2026, 11, 23, 7, 0, tzinfo=paris).astimezone(UTC)
    assert preferences.quiet_until(pref, night) == seven
    assert preferences.quiet_until(pref, early) == seven
    assert preferences.quiet_until(pref, day) is None
    assert preferences.DEFAULT_QUIET == (22, 7)


def test_a_first_save_without_quiet_hours_keeps_none_at_night(make):
    """Unticking "Pas de notification pendant ces heures" before any other change: nothing is held, even
    at 23:30 in Paris (the column's default once replaced that None by 22h-7h)."""
    elu = make.elu()
    preferences.save(elu, muted_kinds=[], quiet_start=None, quiet_end=None)
    db.session.commit()
    db.session.expire_all()
    pref = preferences.of(elu)
    assert (pref.quiet_start, pref.quiet_end) == (None, None)
    night = datetime(2026, 11, 22, 23, 30, tzinfo=preferences.PARIS).astimezone(UTC)
    assert preferences.quiet_until(pref, night) is None


def test_savepoints_neither_send_early_nor_forget_what_the_transaction_notified(make, subscribed, push_service):
    """A worker that pages several notes stores each page in a savepoint (a twin worker may win its
    unique key): releasing one must not send before the commit, losing one must not drop the others."""
    elu = make.elu("Élu d’astreinte")
    subscribed(elu)

    def claim():  # a row under a unique key, as a page (note × step) is
        with db.session.begin_nested():
            db.session.add(IdempotentRequest(user_id=elu.id, key="page-1", method="POST", path="/", status=201))

    notify([elu], kind="oncall.paged", title="Astreinte : note urgente", body="Accusé attendu", url="/notes/1")
    claim()
    assert push_service.received == []  # the savepoint was released, the transaction is still open
    with pytest.raises(IntegrityError):
        claim()  # lost to a twin: its savepoint rolls back
    assert push_service.received == []
    db.session.commit()
    assert [m.payload["title"] for m in push_service.received] == ["Astreinte : note urgente"]
