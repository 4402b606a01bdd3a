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
