// Links to the other pages the signed-in role may use: the server's table (`/api/auth/me` → pages), never a
// copy of it here. A page that knows its show passes it on, so the producer's desk link opens that show.

import { h } from "./dom.js";
import { t } from "./i18n.js";

const NAMES = { "/desk": "nav.desk", "/phone": "nav.phone", "/producer": "nav.producer", "/prompter": "nav.prompter" };

function href(path, showId) {
  if (showId === null || showId === undefined) return path;
  return path === "/prompter" ? `/prompter/${showId}` : `${path}?show=${showId}`;
}

/** Fill `nav` with a link per page of `who.pages` other than `here`; call again to re-label or re-point. */
export function navigation(nav, who, here, showId = null) {
  nav.setAttribute("aria-label", t("nav.label"));
  nav.replaceChildren(...(who?.pages || []).filter((path) => path !== here && NAMES[path]).map((path) =>
    h("a", { class: "nav-link", href: href(path, showId), dataset: { page: path }, text: t(NAMES[path]) })));
}
