// The producer's workspace: pick a show, start/end it, watch it live, review the log and the report,
// and keep the follow-up board across shows. Tabs live in the URL hash (#live, #report, …).

import { api, logout, me, toLogin } from "./api.js";
import { $, $$, h, toast } from "./dom.js";
import { dateTime, initI18n, languageSwitch, runClock, t } from "./i18n.js";
import { renderLive } from "./producer-live.js";
import { renderLog } from "./producer-log.js";
import { renderReport } from "./producer-report.js";
import { renderFollowups } from "./producer-followups.js";
import { renderShows } from "./producer-shows.js";
import { navigation } from "./nav.js";
import { ServerWatch } from "./connection.js";

const TABS = ["live", "shows", "log", "report", "followups"];
const RENDER = { live: renderLive, shows: renderShows, log: renderLog, report: renderReport, followups: renderFollowups };
const POLL_MS = 5000;

export const ctx = { show: null, shows: [], user: null, reload: null, refresh: null };
let timer = null;

function tab() {
  const name = location.hash.slice(1);
  return TABS.includes(name) ? name : "live";
}

function preferred(shows) {
  const asked = Number(new URLSearchParams(location.search).get("show"));
  return shows.find((s) => s.id === asked) || shows.find((s) => s.status === "live")
    || shows.filter((s) => s.status === "scheduled").sort((a, b) => a.starts_at.localeCompare(b.starts_at))[0]
    || shows[0] || null;
}

async function loadShows(keep = true) {
  ctx.shows = await api("GET", "/api/shows");
  const current = keep && ctx.show ? ctx.shows.find((s) => s.id === ctx.show.id) : null;
  ctx.show = current || preferred(ctx.shows);
  fillShowSelect();
  header();
}

function fillShowSelect() {
  const select = $("#show-select");
  select.replaceChildren(...ctx.shows.map((s) => h("option", { value: s.id, selected: ctx.show && s.id === ctx.show.id,
    text: `${s.title} · ${dateTime(s.starts_at)}` })));
}

function header() {
  const show = ctx.show;
  const pill = $("#show-status");
  pill.hidden = !show;
  $("#start").hidden = !show || show.status === "live";
  $("#end").hidden = !show || show.status !== "live";
  $("#notice").hidden = !!show;
  if (!show) {
    $("#notice").textContent = t("producer.no_show");
    return;
  }
  pill.textContent = t(`show.${show.status}`);
  pill.className = `pill ${show.status === "live" ? "bad" : show.status === "ended" ? "" : "warn"}`;
  $("#start").textContent = t(show.status === "ended" ? "producer.resume" : "producer.start");
  navigation($("#nav"), ctx.user, "/producer", show.id);
}

async function setStatus(status) {
  if (!ctx.show) return;
  if (status === "ended" && !confirmEnd()) return;
  try {
    ctx.show = await api("PATCH", `/api/shows/${ctx.show.id}`, { status });
    toast(t(status === "live" ? "producer.started" : "producer.ended"));
    await loadShows();
    await show();
  } catch (err) {
    toast(err.message, "error");
  }
}

function confirmEnd() {
  const button = $("#end");
  if (button.dataset.armed === "1") return true;
  button.dataset.armed = "1";
  button.textContent = t("producer.end_confirm");
  setTimeout(() => { button.dataset.armed = ""; header(); }, 4000);
  return false;
}

let shown = 0; // which call of show() is the latest: only it may start the poll and say the tab is ready

async function show() {
  const name = tab();
  const mine = ++shown;
  for (const b of $$("#tabs [role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const p of $$(".tab-panel")) p.hidden = p.id !== `panel-${name}`;
  document.body.dataset.tab = name;
  clearInterval(timer);
  try {
    await RENDER[name](ctx);
  } catch (err) {
    if (err.status === 401) return toLogin();
    if (err.code !== "network") toast(err.message, "error"); // no server: the banner says so, and retries
  }
  if (mine !== shown) return; // another tab was asked for meanwhile (a hash change while this one loaded)
  // a failed poll raises the offline banner (api.js tells it); the banner's retry brings the page back
  if (name === "live" && ctx.show) timer = setInterval(() => { if (!watch.offline) RENDER.live(ctx).catch(() => {}); }, POLL_MS);
  document.body.dataset.ready = name;
}

const watch = new ServerWatch({ onBack: back });

/** The server answers again: everything the page shows is read afresh. */
async function back() {
  if (!ctx.user) return location.reload(); // it was never reached: start the page again
  toast(t("conn.back"));
  await loadShows().catch(() => {});
  await show();
}

async function main() {
  const who = await me().catch(async (err) => { await initI18n(); throw err; }); // the banner in a known language
  if (!who) return toLogin();
  ctx.user = who;
  await initI18n(who.username);
  languageSwitch($("#lang"), () => { header(); fillShowSelect(); show(); });
  runClock($("#clock"));
  $("#who").textContent = `${who.username} · ${t(`role.${who.role}`)}`;
  $("#logout").addEventListener("click", logout);
  navigation($("#nav"), who, "/producer");
  if (!["producer", "admin"].includes(who.role)) {
    $("#notice").textContent = t("producer.denied");
    $("#notice").hidden = false;
    $("#tabs").hidden = true;
    return;
  }
  ctx.reload = loadShows;
  ctx.refresh = show;
  for (const b of $$("#tabs [role=tab]")) b.addEventListener("click", () => { location.hash = b.dataset.tab; });
  window.addEventListener("hashchange", show);
  $("#show-select").addEventListener("change", async (e) => {
    ctx.show = ctx.shows.find((s) => String(s.id) === e.target.value) || null;
    const url = new URL(location.href);
    url.searchParams.set("show", String(ctx.show.id));
    history.replaceState(null, "", url);
    header();
    await show();
  });
  $("#print").addEventListener("click", () => window.print());
  $("#start").addEventListener("click", () => setStatus("live"));
  $("#end").addEventListener("click", () => setStatus("ended"));
  await loadShows(false);
  await show();
}

main().catch((err) => { if (err.code !== "network") toast(String(err.message || err), "error"); });
