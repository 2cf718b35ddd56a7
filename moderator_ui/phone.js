// The phone desk: type a caller's question while they speak; Enter sends, the form clears for the next
// caller. The phone number is kept as the author's private contact, never shown on air.

import { api, currentShow, logout, me, toLogin } from "./api.js";
import { navigation } from "./nav.js";
import { ServerWatch } from "./connection.js";
import { $, h, toast } from "./dom.js";
import { DISTRICTS, LANGS, TOPICS, clock, initI18n, label, languageSwitch, runClock, t } from "./i18n.js";

const RECENT = "efir.phone.recent";
let show = null;
let user = null;
let recent = [];
let all = {}; // every language's dictionary: a slug may be typed in kk, ru or en

async function loadAll() {
  const dicts = await Promise.all(LANGS.map((l) => fetch(`/ui/i18n/${l}.json`).then((r) => r.json())));
  all = dicts;
}

function fillPickers() {
  $("#districts").replaceChildren(...DISTRICTS.map((s) => h("option", { value: label("district", s) })));
  $("#topics").replaceChildren(...TOPICS.map((s) => h("option", { value: label("topic", s) })));
}

/** What was typed in a picker → its slug: any language's label, the slug itself, or an unambiguous prefix. */
function slugOf(kind, slugs, typed) {
  const value = typed.trim().toLowerCase();
  if (!value) return "";
  const names = slugs.map((s) => [s, [s, ...all.map((d) => d[`${kind}.${s}`] || "")].map((n) => n.toLowerCase())]);
  const exact = names.find(([, ns]) => ns.includes(value));
  if (exact) return exact[0];
  const prefixed = names.filter(([, ns]) => ns.some((n) => n && n.startsWith(value)));
  return prefixed.length === 1 ? prefixed[0][0] : null;
}

function fail(message, field) {
  const error = $("#error");
  error.textContent = message;
  error.hidden = false;
  if (field) {
    field.classList.add("invalid");
    field.focus();
  }
}

async function submit(event) {
  event.preventDefault();
  $("#error").hidden = true;
  for (const el of document.querySelectorAll(".invalid")) el.classList.remove("invalid");
  if (!show) return fail(t("phone.no_show"));
  const text = $("#text").value.trim();
  const district = slugOf("district", DISTRICTS, $("#district").value);
  const topic = slugOf("topic", TOPICS, $("#topic").value);
  if (district === null) return fail(t("phone.unknown", { what: t("phone.district") }), $("#district"));
  if (topic === null) return fail(t("phone.unknown", { what: t("phone.topic") }), $("#topic"));
  if (!text) return fail(t("phone.required"), $("#text"));
  const author = { name: $("#caller").value.trim() || null, contact: $("#contact").value.trim() || null };
  const body = { text, author, ...(district ? { district } : {}), ...(topic ? { topic } : {}) };
  $("#submit").disabled = true;
  try {
    const q = await api("POST", `/api/shows/${show.id}/questions`, body);
    remember(q);
    toast(t("phone.sent", { id: q.id }));
    $("#call").reset();
    $("#caller").focus();
  } catch (err) {
    fail(t("phone.failed", { message: err.message }));
  } finally {
    $("#submit").disabled = false;
  }
}

function remember(q) {
  recent = [{ id: q.id, text: q.text, status: q.status, at: q.received_at, district: q.district, topic: q.topic },
    ...recent.filter((r) => r.id !== q.id)].slice(0, 20);
  localStorage.setItem(`${RECENT}.${user.username}`, JSON.stringify(recent));
  renderRecent();
}

function renderRecent() {
  $("#no-recent").hidden = recent.length > 0;
  $("#recent").replaceChildren(...recent.map((r) => h("li", { dataset: { id: r.id } },
    h("div", { class: "r-head" },
      h("span", { class: "rid", text: `#${r.id}` }),
      h("time", { text: clock(r.at) }),
      h("span", { class: `badge st-${r.status}`, text: label("status", r.status) }),
      r.district ? h("span", { class: "chip", text: label("district", r.district) }) : null,
      r.topic ? h("span", { class: "chip", text: label("topic", r.topic) }) : null),
    h("div", { class: "r-text", text: r.text }))));
}

/** Statuses move on the desk; look again every few seconds. */
async function poll() {
  const fresh = await Promise.all(recent.slice(0, 10).map((r) => api("GET", `/api/questions/${r.id}`).catch(() => null)));
  let changed = false;
  for (const q of fresh) {
    if (!q) continue;
    const r = recent.find((x) => x.id === q.id);
    if (r && (r.status !== q.status || r.text !== q.text)) {
      Object.assign(r, { status: q.status, text: q.text });
      changed = true;
    }
  }
  if (changed) renderRecent();
}

// a call taken while the server is away: the banner says so, the typed question stays in the form to send again
new ServerWatch({ onBack: () => { toast(t("conn.back")); poll(); } });

async function main() {
  $("#call").addEventListener("submit", submit); // wired first: an early Enter never submits the form natively
  user = await me().catch(() => null);
  if (!user) return toLogin();
  await Promise.all([initI18n(user.username), loadAll()]);
  $("#who").textContent = `${user.username} · ${label("role", user.role)}`;
  navigation($("#nav"), user, "/phone");
  languageSwitch($("#lang"), () => { fillPickers(); renderRecent(); navigation($("#nav"), user, "/phone", show?.id); });
  runClock($("#clock"));
  $("#logout").addEventListener("click", logout);
  fillPickers();
  recent = JSON.parse(localStorage.getItem(`${RECENT}.${user.username}`) || "[]");
  renderRecent();
  $("#text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("#call").requestSubmit();
    }
  });
  try {
    show = await currentShow();
  } catch (err) {
    toast(err.message, "error");
  }
  $("#show-title").textContent = show ? show.title : t("phone.no_show");
  navigation($("#nav"), user, "/phone", show?.id);
  setInterval(poll, 5000);
}

main();
