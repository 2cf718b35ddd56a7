// The host's prompter: SSE `rundown` events (air-safe fields only), huge text, mirror, size, theme,
// fullscreen, clock and time on air. "Next" / "answered" from the keyboard or a presentation clicker
// go through the host's own signed-in session: the prompter key only reads.

import { api, me } from "./api.js";
import { $, h, toast } from "./dom.js";
import { initI18n, label, languageSwitch, runClock, t } from "./i18n.js";
import { navigation } from "./nav.js";

const body = document.body;
const showId = Number(location.pathname.split("/")[2]);
const params = new URLSearchParams(location.search);
const key = params.get("key") || "";
const SETTINGS = "efir.prompter";
const settings = { size: 64, mirror: false, theme: "dark", transparent: false,
  ...JSON.parse(localStorage.getItem(SETTINGS) || "{}") };
if (params.has("mirror")) settings.mirror = params.get("mirror") !== "0";
if (params.get("bg") === "transparent") settings.transparent = true;
if (params.get("theme") === "light" || params.get("theme") === "dark") settings.theme = params.get("theme");

let rundown = { on_air: null, next: [] };
let onAirSince = null;
let who = null;
let busy = false;
let source = null;
let refused = null; // why the server will not stream this prompter (a wrong key …): said on the stage, no retry
const RETRY_MS = 2000;
const REFUSALS = { invalid_key: "prompter.invalid_key", wrong_show: "prompter.wrong_show",
  unauthorized: "prompter.need_key", not_found: "prompter.not_found" };

function apply() {
  body.style.setProperty("--p-size", `${settings.size}px`);
  body.classList.toggle("mirror", settings.mirror);
  body.classList.toggle("theme-light", settings.theme === "light");
  body.classList.toggle("theme-dark", settings.theme !== "light");
  body.classList.toggle("transparent", settings.transparent);
  $("#mirror").setAttribute("aria-pressed", String(settings.mirror));
  $("#transparent").setAttribute("aria-pressed", String(settings.transparent));
  localStorage.setItem(SETTINGS, JSON.stringify(settings));
}

function resize(delta) {
  settings.size = Math.max(28, Math.min(180, settings.size + delta));
  apply();
  fit();
}

// A long question shrinks until it and its meta line fit the screen (never below half the chosen
// size): nothing the host must read is ever cut off.
function fit() {
  const box = $("#current");
  let size = settings.size;
  body.style.setProperty("--p-size", `${size}px`);
  while (box.scrollHeight > box.clientHeight + 1 && size > settings.size / 2) {
    size = Math.floor(size * 0.92);
    body.style.setProperty("--p-size", `${size}px`);
  }
}

function render() {
  if (refused || !showId) return sayWhy();
  const q = rundown.on_air;
  const text = $("#text");
  $("#onair-label").classList.toggle("off", !q);
  if (q) {
    text.textContent = q.text;
    text.className = "p-text";
    const parts = [
      q.author ? h("span", { class: "p-author", text: q.author }) : null,
      q.district ? h("span", { class: "p-district", text: label("district", q.district) }) : null,
      q.asked_count > 1 ? h("span", { class: "p-asked", text: t("prompter.asked", { n: q.asked_count }) }) : null,
      q.addressee ? h("span", { class: "p-to", text: t("rundown.to", { name: q.addressee }) }) : null,
    ].filter(Boolean);
    $("#meta").replaceChildren(...parts);
  } else {
    text.textContent = t("prompter.nothing");
    text.className = "p-text waiting";
    $("#meta").replaceChildren();
  }
  $("#next").replaceChildren(...rundown.next.slice(0, 3).map((n, i) => h("li", { dataset: { id: n.id } },
    h("span", { class: "p-n", text: String(i + 1) }), n.text,
    n.author || n.district ? h("span", { class: "p-who", text: `  — ${[n.author, label("district", n.district)].filter(Boolean).join(", ")}` }) : null)));
  fit();
  tick();
}

function tick() {
  const timer = $("#timer");
  if (!rundown.on_air || onAirSince === null) {
    timer.textContent = "";
    return;
  }
  const s = Math.max(0, Math.floor((Date.now() - onAirSince) / 1000));
  const mmss = `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  timer.textContent = t("prompter.time_on_air", { t: mmss });
}

function onRundown(event) {
  const data = JSON.parse(event.data);
  const before = rundown.on_air?.id;
  rundown = { on_air: data.on_air || null, next: data.next || [] };
  const now = rundown.on_air?.id;
  if (now !== before) {
    const stored = sessionStorage.getItem(`efir.onair.${now}`);
    onAirSince = now === undefined ? null : Number(stored) || Date.now();
    if (now !== undefined) sessionStorage.setItem(`efir.onair.${now}`, String(onAirSince));
  }
  $("#status").textContent = "";
  render();
}

// A cue from the producer ("1 minute", "wrap up"): a banner over the stage, text only, that stays until the
// host acknowledges it (click it, or Esc); the acknowledgement clears it on every prompter of the show.
let cueId = null;

function onCue(event) {
  const cue = JSON.parse(event.data);
  const banner = $("#cue");
  if (cue.acked) {
    if (cue.id === cueId) { banner.hidden = true; cueId = null; }
    return;
  }
  cueId = cue.id;
  banner.textContent = `${cue.text}  ·  ${t("prompter.cue_ack")}`;
  banner.hidden = false;
}

async function ackCue() {
  if (cueId === null) return;
  const id = cueId;
  const path = `/prompter/${showId}/cue/${id}/ack`;
  // the key's screen acknowledges with the key; the host signed in, with the session
  const status = key ? (await fetch(`${path}?key=${encodeURIComponent(key)}`, { method: "POST" })).status
    : await api("POST", path).then(() => 200, (err) => err.status);
  if (status === 200 || status === 404) { // 404: someone else acknowledged it first
    if (cueId === id) { $("#cue").hidden = true; cueId = null; }
  }
}

/** The key (the host screen's credential) when the link has one; else the signed-in session is sent. */
function eventsUrl() {
  return `/prompter/${showId}/events${key ? `?key=${encodeURIComponent(key)}` : ""}`;
}

function connect() {
  source = new EventSource(eventsUrl());
  source.addEventListener("rundown", onRundown);
  source.addEventListener("cue", onCue);
  source.addEventListener("open", () => { $("#status").textContent = ""; });
  source.addEventListener("error", async () => {
    $("#status").textContent = t("prompter.reconnecting");
    if (source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
    source.close();
    // refused or gone: EventSource cannot tell which, so ask once; a wrong key is said, never retried
    const code = await refusal();
    if (code in REFUSALS) {
      refused = code;
      render();
    } else {
      setTimeout(connect, RETRY_MS);
    }
  });
}

/** Why the server refuses this prompter's stream (`invalid_key` …), or null when it is only unreachable. */
async function refusal() {
  const controller = new AbortController();
  try {
    const r = await fetch(eventsUrl(), { signal: controller.signal, headers: { Accept: "application/json" } });
    if (r.ok) return null;
    const body = await r.json().catch(() => null);
    return body?.error?.code || null;
  } catch {
    return null;
  } finally {
    controller.abort();
  }
}

/** Instead of a question: why there is none (a refused key, no show) in the stage's own large type. */
function sayWhy() {
  const why = refused ? t(REFUSALS[refused]) : t("prompter.no_show");
  body.dataset.refused = refused || "no_show";
  $("#onair-label").classList.add("off");
  $("#text").textContent = why;
  $("#text").className = "p-text refused";
  $("#status").textContent = ""; // said once, on the stage (a live region)
  $("#meta").replaceChildren();
  $("#next").replaceChildren();
  $("#signin").hidden = refused ? refused !== "unauthorized" : !!who; // a sign-in is what is missing, or no use
}

// -- host controls ---------------------------------------------------------------------------

async function airAction(id, action, extra = {}) {
  const q = await api("GET", `/api/questions/${id}`);
  await api("POST", `/api/questions/${id}/actions`, { action, version: q.version, ...extra });
}

/** The host's Next: the question on air is answered (the button says so) and the next one goes on air. */
async function answeredNext(target, onAir) {
  if (!onAir) return airAction(target.id, "on_air");
  const current = await api("GET", `/api/questions/${onAir.id}`);
  return airAction(target.id, "on_air", { previous: "answered", previous_version: current.version });
}

async function control(what) {
  if (!who) {
    const note = $("#signin");
    note.hidden = false;
    note.classList.remove("flash");
    void note.offsetWidth;
    note.classList.add("flash");
    return;
  }
  if (busy) return; // a clicker's double press must not skip a question
  busy = true;
  try {
    const target = rundown.next[0];
    if (what === "next" && target) await answeredNext(target, rundown.on_air);
    else if (rundown.on_air) await airAction(rundown.on_air.id, "answered");
  } catch (err) {
    toast(err.message, "error");
  } finally {
    busy = false;
  }
}

function fullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.().catch(() => {});
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const k = event.key;
  if (["PageDown", " ", "ArrowRight", "ArrowDown", "n", "N"].includes(k)) control("next");
  else if (["PageUp", "Enter", "a", "A"].includes(k)) control("answered");
  else if (k === "m" || k === "M") { settings.mirror = !settings.mirror; apply(); }
  else if (k === "+" || k === "=") resize(8);
  else if (k === "-" || k === "_") resize(-8);
  else if (k === "t" || k === "T") { settings.theme = settings.theme === "light" ? "dark" : "light"; apply(); }
  else if (k === "b" || k === "B") { settings.transparent = !settings.transparent; apply(); }
  else if (k === "f" || k === "F") fullscreen();
  else if (k === "Escape" && cueId !== null) ackCue();
  else return;
  event.preventDefault();
}

let idleTimer = 0;
function wake() {
  body.classList.remove("idle");
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => body.classList.add("idle"), 4000);
}

window.addEventListener("resize", () => fit());

async function main() {
  who = await me().catch(() => null);
  if (who && !["host", "producer", "moderator", "admin"].includes(who.role)) who = null;
  await initI18n(who?.username);
  apply();
  languageSwitch($("#lang"), () => {
    render();
    if (who) navigation($("#nav"), who, "/prompter", showId || null);
  });
  runClock($("#clock"));
  setInterval(tick, 1000);
  $("#signin").hidden = !!who;
  if (who) navigation($("#nav"), who, "/prompter", showId || null);
  $("#signin-link").href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  $("#smaller").addEventListener("click", () => resize(-8));
  $("#larger").addEventListener("click", () => resize(8));
  $("#mirror").addEventListener("click", () => { settings.mirror = !settings.mirror; apply(); });
  $("#cue").addEventListener("click", ackCue);
  $("#theme").addEventListener("click", () => { settings.theme = settings.theme === "light" ? "dark" : "light"; apply(); });
  $("#transparent").addEventListener("click", () => { settings.transparent = !settings.transparent; apply(); });
  $("#fullscreen").addEventListener("click", fullscreen);
  $("#next-btn").addEventListener("click", () => control("next"));
  $("#answered").addEventListener("click", () => control("answered"));
  for (const button of document.querySelectorAll(".p-controls button")) button.addEventListener("keydown", (e) => {
    if (e.key === " " || e.key === "Enter") e.stopPropagation(); // a focused button is pressed, not "next"
  });
  document.addEventListener("keydown", onKey);
  document.addEventListener("mousemove", wake);
  wake();
  render();
  if (showId) connect();
  else setTimeout(() => location.assign(`/prompter${location.search}`), 10_000); // no show yet: look again
}

main();
