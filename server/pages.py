"""The pages of `moderator_ui/`, served as static files: HTML, CSS and JavaScript modules, no build step."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

UI = Path(__file__).resolve().parent.parent / "moderator_ui"


def page(name: str) -> Route:
    async def serve(request: Request) -> Response:
        return FileResponse(UI / f"{name}.html", headers={"Cache-Control": "no-cache"})

    return Route(f"/{name}", serve) if name != "prompter" else Route("/prompter/{show_id:int}", serve)


async def root(request: Request) -> Response:
    return RedirectResponse("/desk", status_code=302)


def routes() -> list[BaseRoute]:
    pages = [page(name) for name in ("login", "desk", "prompter", "phone", "producer")
             if (UI / f"{name}.html").exists()]
    return [Route("/", root), *pages, Mount("/ui", StaticFiles(directory=UI, check_dir=False), name="ui")]
