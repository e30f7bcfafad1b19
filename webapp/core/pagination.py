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


def paginate_keys(keys, order, load, page: int, per_page: int, bound: int, rows: bool = False) -> Page:
    """One page of a list that grows with time, read by its keys first.

    ``keys`` is a subquery of the list's keys and sort columns, stopped at ``bound`` rows (so a count
    reaching it means "at least"); ``order(sub)`` gives the sort columns of a subquery like ``keys``;
    ``load(page_keys)`` selects the objects of the page's keys. The page is chosen among the keys, and
    only its objects are read: the cost follows the page, not the list.
    """
    return KeyedList(keys, order, load, rows).page({}, page, per_page, bound)


class KeyedList:
    """``paginate_keys``'s statement, built once: a list every page view runs (an inbox) builds it once per
    process, its ``keys`` taking the person and the bound as bound parameters, since building it costs
    more than running it. The bounded count comes with the page (a window over the keys, read once); a
    page past the end has no row to carry it, and counts in a statement of its own."""

    def __init__(self, keys, order, load, rows: bool = False):
        self._rows = rows  # ``load`` selects columns: the page's items are its rows (with ``_total``)
        self._count = db.select(db.func.count()).select_from(keys)
        chosen = (db.select(keys, db.func.count().over().label("_total")).order_by(*order(keys))
                  .limit(db.bindparam("page_size", type_=db.Integer))
                  .offset(db.bindparam("page_start", type_=db.Integer))).subquery()
        self._page = load(chosen).add_columns(chosen.c._total).order_by(*order(chosen))

    def page(self, params: dict, page: int, per_page: int, bound: int) -> Page:
        rows = db.session.execute(self._page, {**params, "page_size": per_page,
                                               "page_start": (page - 1) * per_page}).unique().all()
        total = rows[0][-1] if rows else (db.session.scalar(self._count, params) or 0 if page > 1 else 0)
        return Page(items=rows if self._rows else [row[0] for row in rows], page=page, per_page=per_page, total=total,
                    exact=total < bound)
