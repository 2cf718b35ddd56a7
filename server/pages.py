"""The pages of `moderator_ui/`, served as static files: HTML, CSS and JavaScript modules, no build step.
`/` sends each role to its own page, `/prompter` to the prompter of the show on air."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .roles import home
from .web import efir, principal

UI = Path(__file__).resolve().parent.parent / "moderator_ui"


def page(name: str) -> Route:
    async def serve(request: Request) -> Response:
        return FileResponse(UI / f"{name}.html", headers={"Cache-Control": "no-cache"})

    return Route(f"/{name}", serve) if name != "prompter" else Route("/prompter/{show_id:int}", serve)


async def root(request: Request) -> Response:
    who = await principal(request)
    return RedirectResponse(home(who.role) if who else "/login", status_code=302)


async def live_prompter(request: Request) -> Response:
    """The host signed in needs no key and no show id: the live show's prompter (else the next scheduled one's);
    with no show at all, the prompter page says so and looks again."""
    show_id = await efir(request).store.route_show()
    if show_id is None:
        return FileResponse(UI / "prompter.html", headers={"Cache-Control": "no-cache"})
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/prompter/{show_id}{query}", status_code=302)


def routes() -> list[BaseRoute]:
    pages = [page(name) for name in ("login", "desk", "prompter", "phone", "producer")
             if (UI / f"{name}.html").exists()]
    return [Route("/", root), Route("/prompter", live_prompter), *pages,
            Mount("/ui", StaticFiles(directory=UI, check_dir=False), name="ui")]
