"""The installation week: computed from the election date, editable in order, read by every élu; the
wishes lock themselves at their closing time."""

from datetime import date, datetime, timedelta

import pytest

from tests.designation.helpers import elu_with_profile, published_organisation
from webapp.core.clock import to_paris, utcnow
from webapp.core.errors import DomainError
from webapp.designation import calendar, service
from webapp.extensions import db


def test_the_week_follows_the_election_sunday():
    steps = {k: to_paris(v).strftime("%a %d %H:%M") for k, v in calendar.computed(date(2028, 3, 26)).items()}
    assert steps == {"forum_at": "Mon 27 09:00", "organisation_at": "Tue 28 12:00",
                     "wishes_close_at": "Wed 29 08:00", "proposal_at": "Wed 29 20:00", "plenary_at": "Thu 30 10:00"}


def test_only_the_coordination_or_the_clerk_sets_it_and_steps_stay_in_order(make):
    mandate, clerk, _posts = published_organisation(make)
    user, _term = elu_with_profile(make, mandate)
    with pytest.raises(DomainError):
        calendar.set_election(user, mandate, date(2028, 3, 26))
    row = calendar.set_election(clerk, mandate, date(2028, 3, 26))
    calendar.edit(clerk, mandate, {"plenary_at": datetime(2028, 3, 31, 9, 30)})
    assert to_paris(row.plenary_at).strftime("%d %H:%M") == "31 09:30"  # a naive time is Paris time
    with pytest.raises(DomainError) as refused:
        calendar.edit(clerk, mandate, {"wishes_close_at": datetime(2028, 4, 2, 8)})
    assert refused.value.status == 422


def test_the_wishes_lock_themselves_at_their_closing_time(make):
    mandate, clerk, posts = published_organisation(make)
    user, term = elu_with_profile(make, mandate)
    row = calendar.set_election(clerk, mandate, date(2028, 3, 26))
    service.add_wish(user, term, posts["cp"], "Avant la clôture.")  # the week is ahead: still open
    for key in calendar.STEPS:
        setattr(row, key, utcnow() - timedelta(hours=1))
    db.session.commit()
    with pytest.raises(DomainError) as closed:
        service.add_wish(user, term, posts["sem"], "Trop tard.")
    assert closed.value.status == 409 and "clos" in closed.value.message


def test_the_clerk_computes_the_week_on_the_page_and_the_elu_reads_it(make, client):
    mandate, clerk, _posts = published_organisation(make)
    user, _term = elu_with_profile(make, mandate)
    client.login(user)
    assert "pas encore fixé" in client.get("/designation/calendar").get_data(as_text=True)
    assert client.post("/designation/calendar/election", data={"election_on": "2028-03-26"}).status_code == 403
    client.get("/logout")
    client.login(clerk)
    client.post("/designation/calendar/election", data={"election_on": "2028-03-26"})
    page = client.post("/designation/calendar", data={"plenary_at": "2028-03-30T14:00"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Calendrier enregistré." in page and "jeudi 30 mars, 14:00" in page
    assert "mercredi 29 mars, 08:00" in page
