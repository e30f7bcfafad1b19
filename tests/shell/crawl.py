"""Walk an app's pages as one person, from the navigation outwards, one page per kind of URL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Large text as a person sets it: the browser's default font size (Chrome's Settings › Appearance ›
# Font size), which every rem and em of the app, and its em media queries, follow. 32 px is 200 %.
LARGE_TEXT = {"standard": 32, "fixed": 26}

# Links that are files or actions rather than pages.
NOT_PAGES = re.compile(r"\.(pdf|ics|csv|zip|png|jpe?g|webp|json|webmanifest)$|^/(static|api|media)/|/media/|"
                       r"/attachments?/|/file$|/download|/logout")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def kind_of(path: str) -> str:
    """Pages of the same kind share a template: /notes/<id> for every note."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", _UUID.sub("<id>", path))


def use_large_text(context, page) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": LARGE_TEXT})


@dataclass
class Walk:
    """What a walk saw: each page visited, and those that scroll sideways."""

    visited: list[str] = field(default_factory=list)
    sideways: list[tuple[str, int, int]] = field(default_factory=list)
    errors: list[tuple[str, int]] = field(default_factory=list)


def walk(page, start: list[str], seen_kinds: set[str], limit: int = 60) -> Walk:
    """Visit every page of ``start`` (this person's own), then every same-site link found from them, one
    page per kind not in ``seen_kinds`` (kinds seen as someone else are not visited again)."""
    result = Walk()
    queue = list(dict.fromkeys(start))
    own = set(queue)
    while queue and len(result.visited) < limit:
        path = queue.pop(0)
        kind = kind_of(path)
        if kind in seen_kinds and path not in own:
            continue
        seen_kinds.add(kind)
        response = page.goto(path)
        result.visited.append(path)
        if response is None or response.status >= 400:
            result.errors.append((path, response.status if response else 0))
            continue
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if widths[0] > widths[1]:
            result.sideways.append((path, *widths))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(page.url).netloc or NOT_PAGES.search(parts.path):
                continue
            if kind_of(parts.path) not in seen_kinds and parts.path not in queue:
                queue.append(parts.path)
    return result
