"""The proposed assignment (CP-SAT): property tests that it never exceeds a post's seats or an élu's
representation cap, never gives one élu two clashing posts nor an excluded wish, and is never worse than
the greedy assignment; and a small case where greedy is beaten."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.designation.arbitration import Problem, greedy, propose, score


@st.composite
def problems(draw):
    n_elus = draw(st.integers(1, 6))
    n_posts = draw(st.integers(1, 6))
    posts = list(range(n_posts))
    wishes = {}
    for elu in range(n_elus):
        chosen = draw(st.lists(st.sampled_from(posts), unique=True, max_size=min(4, n_posts)))
        for rank, post in enumerate(chosen, start=1):
            wishes[(f"e{elu}", post)] = rank
    seats = {post: draw(st.integers(0, 3)) for post in posts}
    representation = frozenset(draw(st.lists(st.sampled_from(posts), unique=True)))
    caps = {f"e{elu}": draw(st.integers(0, 2)) for elu in range(n_elus)}
    pairs = [frozenset({a, b}) for a in posts for b in posts if a < b]
    clashes = frozenset(draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else frozenset()
    excluded = frozenset(draw(st.lists(st.sampled_from(sorted(wishes)), unique=True))) if wishes else frozenset()
    return Problem(wishes, seats, representation, caps, clashes, excluded)


def _respects(problem: Problem, assigned: set) -> None:
    assert assigned <= set(problem.wishes)
    for post, seats in problem.seats.items():
        assert sum(1 for _e, p in assigned if p == post) <= seats
    for elu, cap in problem.caps.items():
        assert sum(1 for e, p in assigned if e == elu and p in problem.representation) <= cap
    for elu in {e for e, _p in assigned}:
        mine = {p for e, p in assigned if e == elu}
        assert not any(pair <= mine for pair in problem.clashes)
    assert not assigned & problem.excluded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_proposal_never_breaks_a_seat_a_cap_or_a_clash_and_beats_or_equals_greedy(problem):
    assigned = propose(problem)
    _respects(problem, assigned)
    _respects(problem, greedy(problem))
    assert score(problem, assigned) >= score(problem, greedy(problem))


def test_the_solver_satisfies_more_than_greedy_when_a_first_choice_blocks_another():
    # One seat at P and one at Q, which meet at the same time. Anne and Bruno both want P first; greedy
    # gives it to Anne (first by name), who then cannot take Q: Bruno is left out.
    problem = Problem(wishes={("anne", "P"): 1, ("anne", "Q"): 2, ("bruno", "P"): 1},
                      seats={"P": 1, "Q": 1}, clashes=frozenset({frozenset({"P", "Q"})}))
    assert greedy(problem) == {("anne", "P")}
    assert propose(problem) == {("anne", "Q"), ("bruno", "P")}
    assert score(problem, propose(problem)) == 3 > score(problem, greedy(problem)) == 2
