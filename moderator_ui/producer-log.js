// The post-show log: every event with its on-air offset (00:14:32, to find the moment in the recording),
// wall time and actor; edits show the text before and after; the aired questions show original vs aired.

import { api } from "./api.js";
import { $, h } from "./dom.js";
import { clock, label, readable, t, tOr } from "./i18n.js";
import { exportLinks } from "./producer-report.js";

const VIEWS = {
  moderation: { skip: "received,clustered,queued,asked" },
  all: {},
  edits: { kinds: "edited" },
  air: { kinds: "on_air,answered" },
  followups: { kinds: "follow_up" },
  replies: { kinds: "reply_queued,reply_attempt,reply_retry,reply_sent,reply_failed,reply_uncertain,reply_skipped" },
  show: { kinds: "show_created,show_started,show_ended,show_resumed,show_updated,segments_set,segment_started,cue,replies_on,replies_off,exported" },
};

// what a log line spells out (the status is the badge; positions and offsets are noise here)
const SHOWN = ["text", "reason", "merged_into", "topic", "district", "addressee", "guest", "title", "format", "what", "channel",
  "attempt", "error", "provider_id"];
const LABELLED = { topic: "topic", district: "district", reason: "reason", what: "producer.what",
  resolution: "producer.res" };

/** Every kind and field in its language; one without a translation (a kind added later) reads as words. */
export const kindLabel = (kind) => tOr(`producer.kind.${kind}`, readable(kind));
const fieldLabel = (name) => tOr(`producer.field.${name}`, readable(name));
const fieldValue = (name, value) => (LABELLED[name] ? label(LABELLED[name], value) : value);

function details(e) {
  if (e.text_after !== undefined) {
    return h("div", { class: "side-by-side" }, h("div", { class: "before" }, h("small", { text: t("producer.log.before") }),
      h("p", { text: e.text_before || "" })), h("div", { class: "after" }, h("small", { text: t("producer.log.after") }),
      h("p", { text: e.text_after })));
  }
  const parts = Object.entries(e.changes || {}).filter(([k, v]) => SHOWN.includes(k) && v !== null && v !== "" && typeof v !== "object")
    .map(([k, v]) => `${fieldLabel(k)}: ${fieldValue(k, v)}`);
  const follow = (e.changes || {}).follow_up;
  if (follow) parts.push(...Object.entries(follow).filter(([, v]) => v).map(([k, v]) => `${fieldLabel(k)}: ${fieldValue(k, v)}`));
  return parts.length ? h("div", { class: "muted", text: parts.join(" · ") }) : null;
}

function entry(e) {
  return h("li", { class: `ev ev-${e.kind}`, dataset: { seq: e.seq } },
    h("span", { class: "offset", title: t("producer.log.offset"), text: e.offset || "—" }),
    h("span", { class: "wall", text: clock(e.at, true) }),
    h("span", { class: "actor", text: e.actor }),
    h("span", { class: `badge kind-${e.kind}`, text: kindLabel(e.kind) }),
    e.question_id ? h("span", { class: "rid", text: `#${e.question_id}` }) : null,
    h("div", { class: "ev-detail" }, details(e)));
}

function aired(items) {
  if (!items.length) return h("p", { class: "muted", text: t("producer.log.none_aired") });
  return h("table", { class: "grid aired" }, h("thead", {}, h("tr", {}, h("th", { text: t("producer.log.offset") }),
    h("th", { text: t("producer.log.original") }), h("th", { text: t("producer.log.aired_text") }),
    h("th", { text: t("producer.log.edited_by") }))),
  h("tbody", {}, ...items.map((a) => h("tr", { class: a.edited ? "edited" : "" }, h("td", { class: "offset", text: a.offset || "" }),
    h("td", { text: a.text_original }), h("td", { text: a.air_text }), h("td", { text: a.edited_by.join(", ") })))));
}

let wired = false;

export async function renderLog(ctx) {
  if (!ctx.show) return;
  if (!wired) {
    wired = true;
    $("#log-view").replaceChildren(...Object.keys(VIEWS).map((v) => h("option", { value: v, text: t(`producer.view.${v}`) })));
    $("#log-filters").addEventListener("change", () => renderLog(ctx));
    $("#log-filters").addEventListener("submit", (e) => { e.preventDefault(); renderLog(ctx); });
  } else {
    for (const o of $("#log-view").options) o.textContent = t(`producer.view.${o.value}`);
  }
  const params = new URLSearchParams({ ...VIEWS[$("#log-view").value || "moderation"], limit: "2000" });
  if ($("#log-actor").value.trim()) params.set("actor", $("#log-actor").value.trim());
  const data = await api("GET", `/api/shows/${ctx.show.id}/timeline?${params}`);
  $("#timeline").replaceChildren(...data.entries.map(entry));
  $("#aired").replaceChildren(aired(data.aired));
  $("#log-exports").replaceChildren(...exportLinks(`/api/shows/${ctx.show.id}/log/export`, "producer.export.log"));
}
