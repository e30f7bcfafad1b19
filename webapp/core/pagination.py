"""Page-number pagination for lists, shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from webapp.extensions import db

MAX_PER_PAGE = 100
MAX_PAGE = 100_000


@dataclass
class Page:
    """One page of results with what a pager needs."""

    items: list
    page: int
    per_page: int
    total: int
    exact: bool = True  # False: a bounded count stopped at ``total``; there may be more

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_meta(self) -> dict:
        return {"page": self.page, "per_page": self.per_page, "total": self.total, "pages": self.pages}


def page_args(default_per_page: int = 20) -> tuple[int, int]:
    """Read ``page`` and ``per_page`` from the query string, clamped to sane values."""
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return min(max(1, page), MAX_PAGE), min(max(1, per_page), MAX_PER_PAGE)


def paginate(stmt, page: int, per_page: int) -> Page:
    """Run ``stmt`` for one page and count the whole."""
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)


def paginate_keys(keys, order, load, page: int, per_page: int, bound: int) -> Page:
    """One page of a list that grows with time, read by its keys first.

    ``keys`` is a subquery of the list's keys and sort columns, stopped at ``bound`` rows (so a count
    reaching it means "at least"); ``order(sub)`` gives the sort columns of a subquery like ``keys``;
    ``load(page_keys)`` selects the objects of the page's keys. The page is chosen among the keys, and
    only its objects are read: the cost follows the page, not the list.
    """
    total = db.session.scalar(db.select(db.func.count()).select_from(keys)) or 0
    chosen = (db.select(keys).order_by(*order(keys)).limit(per_page).offset((page - 1) * per_page)).subquery()
    items = db.session.scalars(load(chosen).order_by(*order(chosen))).unique().all()
    return Page(items=list(items), page=page, per_page=per_page, total=total, exact=total < bound)
