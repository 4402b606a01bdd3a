"""A Chromium page for the browser tests: every request that ``allowed`` refuses is aborted and
recorded in ``external``; page errors, console errors and dialogs are kept."""

from __future__ import annotations

from collections.abc import Callable


class GuardedPage:
    def __init__(self, browser, allowed: Callable[[str], bool], width=1400, height=900):
        self.allowed = allowed
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if self.allowed(url):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


# Measures taken in the page on a vis-network map, given where the network is (``"network"`` on a
# static map, ``"explorer.network"`` in the explorer); both maps draw into ``#carte``.
_NET = "const net = path.split('.').reduce((o, k) => o[k], window);"

#: The actors whose dot or name is not wholly inside the canvas: vis-network's own box of each (dot
#: and name, the text as Chromium measures it), in pixels of the canvas, as [name, left, top,
#: right, bottom, canvas width, canvas height].
OUTSIDE = """(path) => { """ + _NET + """ const c = document.getElementById('carte'), w = c.clientWidth, h = c.clientHeight, out = [];
  for (const id of net.body.nodeIndices) { const b = net.getBoundingBox(id);
    const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
    if (a.x < -0.5 || a.y < -0.5 || z.x > w + 0.5 || z.y > h + 0.5)
      out.push([net.body.nodes[id].options.label, Math.round(a.x), Math.round(a.y), Math.round(z.x), Math.round(z.y), w, h]); }
  return out; }"""

#: The names vis-network draws at the current zoom, each [name, height in screen pixels, dot size]:
#: its font size times the zoom, capped at ``scaling.label.maxVisible``; a name under
#: ``scaling.label.drawThreshold`` − 1 pixels is not drawn (vis-network's Label.draw). ``hidden``:
#: how many are not drawn; ``biggest``: the name of the actor with the largest dot.
NAMES_DRAWN = """(path) => { """ + _NET + """ const s = net.getScale(), drawn = [];
  let hidden = 0, biggest = null, top = -1;
  for (const id of net.body.nodeIndices) { const n = net.body.nodes[id], o = n.options;
    if (!o.label) continue;
    if (o.size > top) { top = o.size; biggest = o.label; }
    const px = n.labelModule.fontOptions.size * s;
    if (px < o.scaling.label.drawThreshold - 1) { hidden++; continue; }
    drawn.push([o.label, Math.round(Math.min(px, o.scaling.label.maxVisible) * 10) / 10, o.size]); }
  return { drawn: drawn, hidden: hidden, biggest: biggest }; }"""

READABLE_PX = 9  # the smallest name a reader reads at a glance (system sans-serif)


def unreadable_names(page, path: str) -> tuple[list, dict]:
    """The names drawn smaller than :data:`READABLE_PX`, and the whole measure (NAMES_DRAWN)."""
    names = page.evaluate(NAMES_DRAWN, path)
    return [x for x in names["drawn"] if x[1] < READABLE_PX], names
