// What the moderator was looking at, kept in the URL's hash so a reload (or a bookmark) comes back to it:
// the filters that differ from the desk's defaults, the pane, and the focused question.
// e.g. /desk?show=3#status=approved&channel=whatsapp&pane=rundown&focus=1042

import { EMPTY_FILTERS } from "./desk-queue.js";

/** {filters, pane, focus} from the hash; defaults where it says nothing. */
export function readView() {
  const params = new URLSearchParams(location.hash.slice(1));
  const filters = { ...EMPTY_FILTERS };
  for (const name of Object.keys(EMPTY_FILTERS)) if (params.has(name)) filters[name] = params.get(name);
  const focus = Number(params.get("focus"));
  return { filters, pane: params.get("pane") === "rundown" ? "rundown" : "queue",
    focus: Number.isInteger(focus) && focus > 0 ? focus : null };
}

/** Write the view into the hash without a history entry (Back still leaves the desk). */
export function writeView({ filters, pane, focus }) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if ((value ?? "") !== EMPTY_FILTERS[name]) params.set(name, value ?? "");
  if (pane === "rundown") params.set("pane", "rundown");
  if (focus !== null && focus !== undefined) params.set("focus", String(focus));
  const hash = params.toString();
  if (hash === location.hash.slice(1)) return;
  history.replaceState(history.state, "", `${location.pathname}${location.search}${hash ? `#${hash}` : ""}`);
}
