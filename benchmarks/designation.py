"""Benchmark of the designation's arbitration (issue 14), pure computation, no argument:

    .venv/bin/python benchmarks/designation.py

80 élus × 150 posts × 5 ranked wishes each (seeded random: popular posts are wished more, seats 1-3,
a third of the posts are representations, caps 1-4, posts on 20 weekly slots clash when they share one,
5 % of the wishes excluded by a declared unavailability). Measures the CP-SAT proposal's rank-weighted
score as a ratio to the greedy assignment's (quality; target >= 1.2) and its time in seconds (target < 10).
The last line is ``designation: quality X, seconds Y``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp.designation.arbitration import Problem, greedy, propose, score


def instance(seed: int = 14) -> Problem:
    rng = random.Random(seed)
    posts = list(range(150))
    popularity = [1 / (1 + p / 10) for p in posts]  # a few posts are wanted by many
    wishes = {}
    for elu in range(80):
        chosen: list[int] = []
        while len(chosen) < 5:
            post = rng.choices(posts, weights=popularity)[0]
            if post not in chosen:
                chosen.append(post)
        for rank, post in enumerate(chosen, start=1):
            wishes[(elu, post)] = rank
    slots = {post: rng.randrange(20) for post in posts}
    clashes = frozenset(frozenset({a, b}) for a in posts for b in posts if a < b and slots[a] == slots[b])
    excluded = frozenset(pair for pair in wishes if rng.random() < 0.05)
    return Problem(wishes=wishes, seats={p: rng.randint(1, 3) for p in posts},
                   representation=frozenset(p for p in posts if p % 3 == 0),
                   caps={elu: rng.randint(1, 4) for elu in range(80)}, clashes=clashes, excluded=excluded)


def main() -> None:
    problem = instance()
    baseline = score(problem, greedy(problem))
    started = time.perf_counter()
    proposal = propose(problem, time_limit=10.0)
    seconds = time.perf_counter() - started
    quality = score(problem, proposal) / baseline
    print(f"greedy score {baseline}, CP-SAT score {score(problem, proposal)}, {len(proposal)} wishes satisfied")
    print(f"designation: quality {quality:.2f}, seconds {seconds:.2f}")


if __name__ == "__main__":
    main()
