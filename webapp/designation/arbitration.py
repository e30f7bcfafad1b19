"""The proposed assignment (issue 14 item 5): which wishes to satisfy so that the rank-weighted number of
satisfied wishes is the highest possible, under the posts' seats, each élu's representation cap and the
hard agenda clashes. Solved exactly by OR-Tools CP-SAT; pure (no database), so it is tested on its own.

A wish ranked r among at most R gets weight R - r + 1: a first choice counts most.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    wishes: dict[tuple[Hashable, Hashable], int]  # (élu, post) -> rank (1 = first choice)
    seats: dict[Hashable, int]  # post -> seats
    representation: frozenset = frozenset()  # posts of function type représentation
    caps: dict[Hashable, int] = field(default_factory=dict)  # élu -> most representation posts
    clashes: frozenset = frozenset()  # frozenset({post_a, post_b}): never both to one élu
    excluded: frozenset = frozenset()  # (élu, post) wishes a hard constraint rules out
    # Optional proportional share: at most share[(body, group)] of a body's seats to a group's élus.
    body_of: dict = field(default_factory=dict)  # post -> body
    group_of: dict = field(default_factory=dict)  # élu -> political group
    share: dict = field(default_factory=dict)  # (body, group) -> most seats


def weight(problem: Problem, rank: int) -> int:
    top = max(problem.wishes.values(), default=1)
    return top - rank + 1


def score(problem: Problem, assigned: Iterable[tuple]) -> int:
    return sum(weight(problem, problem.wishes[pair]) for pair in assigned)


def propose(problem: Problem, time_limit: float = 10.0) -> set[tuple]:
    """The (élu, post) pairs to assign: optimal within ``time_limit`` seconds (feasible in any case)."""
    # Imported here, not with the module: OR-Tools brings pandas, and every process of the app (each web
    # worker, each command) would pay about 0.7 s at start for what a few arbitration pages use.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {pair: model.NewBoolVar(f"x{n}") for n, pair in enumerate(problem.wishes)}
    for pair, var in x.items():
        if pair in problem.excluded or problem.seats.get(pair[1], 0) <= 0:
            model.Add(var == 0)
    by_post: dict = {}
    by_elu: dict = {}
    for (elu, post), var in x.items():
        by_post.setdefault(post, []).append(var)
        by_elu.setdefault(elu, {})[post] = var
    for post, variables in by_post.items():
        model.Add(sum(variables) <= problem.seats.get(post, 0))
    for elu, posts in by_elu.items():
        if elu in problem.caps:
            model.Add(sum(v for p, v in posts.items() if p in problem.representation) <= problem.caps[elu])
        for pair in problem.clashes:
            a, b = tuple(pair)
            if a in posts and b in posts:
                model.Add(posts[a] + posts[b] <= 1)
    by_share: dict = {}
    for (elu, post), var in x.items():
        key = (problem.body_of.get(post), problem.group_of.get(elu))
        if key in problem.share:
            by_share.setdefault(key, []).append(var)
    for key, variables in by_share.items():
        model.Add(sum(variables) <= problem.share[key])
    model.Maximize(sum(weight(problem, problem.wishes[pair]) * var for pair, var in x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1  # deterministic, and the machine is shared
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return set()
    return {pair for pair, var in x.items() if solver.Value(var)}


def greedy(problem: Problem) -> set[tuple]:
    """The obvious baseline: first choices first, take a wish whenever it still fits."""
    assigned: set[tuple] = set()
    used = {post: 0 for post in problem.seats}
    reps: dict = {}
    for (elu, post), _rank in sorted(problem.wishes.items(), key=lambda item: (item[1], str(item[0]))):
        if (elu, post) in problem.excluded or used.get(post, 0) >= problem.seats.get(post, 0):
            continue
        if post in problem.representation and reps.get(elu, 0) >= problem.caps.get(elu, 10**9):
            continue
        if any(frozenset({post, p}) in problem.clashes for e, p in assigned if e == elu):
            continue
        assigned.add((elu, post))
        used[post] = used.get(post, 0) + 1
        if post in problem.representation:
            reps[elu] = reps.get(elu, 0) + 1
    return assigned


def highest_average(seats: int, sizes: dict) -> dict:
    """Seats shared among groups by the highest average (D'Hondt): each seat goes in turn to the group
    with the highest size / (seats already won + 1); ties go to the larger group, then by name."""
    won = {group: 0 for group in sizes}
    for _ in range(seats):
        best = max(sizes, key=lambda g: (sizes[g] / (won[g] + 1), sizes[g], str(g)))
        won[best] += 1
    return won


def why_not(problem: Problem, assigned: set) -> dict:
    """For each wish left unsatisfied, the constraint that excluded it, as a code the page words:
    ``unavailable``, ``clash`` (with the post given), ``cap``, ``share``, ``seats``, or ``score`` (it
    fitted, but giving it would have satisfied fewer or lower-ranked wishes elsewhere)."""
    used: dict = {}
    reps: dict = {}
    shares: dict = {}
    for elu, post in assigned:
        used[post] = used.get(post, 0) + 1
        if post in problem.representation:
            reps[elu] = reps.get(elu, 0) + 1
        key = (problem.body_of.get(post), problem.group_of.get(elu))
        shares[key] = shares.get(key, 0) + 1
    reasons = {}
    for pair in problem.wishes:
        if pair in assigned:
            continue
        elu, post = pair
        key = (problem.body_of.get(post), problem.group_of.get(elu))
        clash = next((p for e, p in assigned if e == elu and frozenset({post, p}) in problem.clashes), None)
        if pair in problem.excluded:
            reasons[pair] = ("unavailable", None)
        elif clash is not None:
            reasons[pair] = ("clash", clash)
        elif post in problem.representation and reps.get(elu, 0) >= problem.caps.get(elu, 10**9):
            reasons[pair] = ("cap", None)
        elif key in problem.share and shares.get(key, 0) >= problem.share[key]:
            reasons[pair] = ("share", None)
        elif used.get(post, 0) >= problem.seats.get(post, 0):
            reasons[pair] = ("seats", None)
        else:
            reasons[pair] = ("score", None)
    return reasons
