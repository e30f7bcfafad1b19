"""Who is on call: weekly and daily turns, the hand-over minute, absences skipping a person, overrides."""

from __future__ import annotations

from datetime import date, timedelta

from tests.oncall.helpers import MONDAY, crew, paris, rota_of
from webapp.extensions import db
from webapp.oncall.models import Absence, Override
from webapp.oncall.rotation import RotaState, turn_bounds, upcoming, who_is_on_call


def names(rota, *moments):
    return [who_is_on_call(rota, m).name for m in moments]


def test_weekly_turns_hand_over_on_monday_at_nine_paris_time(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    assert names(rota, paris(2026, 11, 2, 9, 0), paris(2026, 11, 8, 23, 0), paris(2026, 11, 9, 8, 59),
                 paris(2026, 11, 9, 9, 0), paris(2026, 11, 16, 9, 0), paris(2026, 11, 23, 9, 0)) == [
        "Anne Premier", "Anne Premier", "Anne Premier", "Bruno Second", "Chloé Troisième", "Anne Premier"]
    # Before the first turn, the order runs backwards the same way.
    assert names(rota, paris(2026, 11, 2, 8, 0)) == ["Chloé Troisième"]


def test_hand_over_keeps_paris_wall_time_across_the_change_to_summer_time(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus, starts_on=date(2027, 3, 22))
    start, end = turn_bounds(rota, 0)
    assert (start.hour, end.hour) == (8, 7)  # 9:00 in UTC+1, then 9:00 in UTC+2 after 28 March
    assert names(rota, paris(2027, 3, 29, 8, 59), paris(2027, 3, 29, 9, 0)) == ["Anne Premier", "Bruno Second"]


def test_daily_turns_hand_over_every_day(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus, rotation="daily", handover=18 * 60)
    assert names(rota, paris(2026, 11, 2, 18, 0), paris(2026, 11, 3, 17, 59), paris(2026, 11, 3, 18, 0),
                 paris(2026, 11, 4, 18, 30), paris(2026, 11, 5, 18, 0)) == [
        "Anne Premier", "Anne Premier", "Bruno Second", "Chloé Troisième", "Anne Premier"]


def test_an_absence_skips_the_person_for_the_next_in_order(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    db.session.add(Absence(user_id=c.elus[1].id, starts_on=date(2026, 11, 9), ends_on=date(2026, 11, 11)))
    db.session.commit()
    assert names(rota, paris(2026, 11, 9, 10), paris(2026, 11, 11, 23), paris(2026, 11, 12, 0, 1)) == [
        "Chloé Troisième", "Chloé Troisième", "Bruno Second"]
    shifts = upcoming(rota, paris(2026, 11, 10, 12))
    assert [(s.user.name, s.starts_at, s.ends_at) for s in shifts[:2]] == [
        ("Chloé Troisième", paris(2026, 11, 9, 9), paris(2026, 11, 12, 0)),
        ("Bruno Second", paris(2026, 11, 12, 0), paris(2026, 11, 16, 9))]


def test_nobody_is_on_call_when_everyone_is_away(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus[:2])
    for elu in c.elus[:2]:
        db.session.add(Absence(user_id=elu.id, starts_on=date(2026, 11, 3), ends_on=date(2026, 11, 3)))
    db.session.commit()
    assert who_is_on_call(rota, paris(2026, 11, 3, 12)) is None


def test_an_override_wins_and_the_latest_one_first(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    db.session.add(Override(rota_id=rota.id, user_id=c.elus[2].id, starts_at=paris(2026, 11, 3, 20),
                            ends_at=paris(2026, 11, 4, 8), created_at=paris(2026, 11, 1)))
    db.session.add(Override(rota_id=rota.id, user_id=c.elus[1].id, starts_at=paris(2026, 11, 3, 22),
                            ends_at=paris(2026, 11, 3, 23), created_at=paris(2026, 11, 2)))
    db.session.commit()
    assert names(rota, paris(2026, 11, 3, 19, 59), paris(2026, 11, 3, 20), paris(2026, 11, 3, 22, 30),
                 paris(2026, 11, 3, 23), paris(2026, 11, 4, 8)) == [
        "Anne Premier", "Chloé Troisième", "Bruno Second", "Chloé Troisième", "Anne Premier"]
    shifts = RotaState.load(rota, paris(2026, 11, 2, 9), paris(2026, 11, 9, 9)).shifts(
        paris(2026, 11, 2, 9), paris(2026, 11, 9, 9))
    assert [(s.user.name, s.starts_at.astimezone(paris(2026, 1, 1).tzinfo).strftime("%d %H:%M"))
            for s in shifts] == [("Anne Premier", "02 09:00"), ("Chloé Troisième", "03 20:00"),
                                 ("Bruno Second", "03 22:00"), ("Chloé Troisième", "03 23:00"),
                                 ("Anne Premier", "04 08:00")]


def test_the_chain_pages_the_person_on_call_then_the_next_ones_in_order(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    at = paris(2026, 11, 10, 3)  # Bruno's week
    state = RotaState.load(rota, at, at + timedelta(seconds=1))
    assert [u.name for u in state.chain(at)] == ["Bruno Second", "Chloé Troisième", "Anne Premier"]
    db.session.add(Absence(user_id=c.elus[2].id, starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 10)))
    db.session.commit()
    state = RotaState.load(rota, at, at + timedelta(seconds=1))
    assert [u.name for u in state.chain(at)] == ["Bruno Second", "Anne Premier"]


def test_upcoming_lists_this_week_and_the_next_three(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    shifts = upcoming(rota, paris(2026, 11, 4, 12))
    assert [s.user.name for s in shifts] == ["Anne Premier", "Bruno Second", "Chloé Troisième", "Anne Premier"]
    assert shifts[0].starts_at == paris(2026, 11, 2, 9) and shifts[-1].ends_at == paris(2026, 11, 30, 9)
    assert MONDAY.weekday() == 0
