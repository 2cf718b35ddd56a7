// The live tab: counters, incoming per minute by channel, segments (start one to put its guest first), rundown.

import { api } from "./api.js";
import { $, clear, h, toast } from "./dom.js";
import { CHANNELS, clock, label, number, t } from "./i18n.js";
import { renderChannels } from "./producer-channels.js";
import { minuteColumns } from "./producer-charts.js";

const MINUTES = 15;
const COUNTERS = ["total", "queue", "approved", "aired", "follow_up"];

function minuteKeys(now = new Date()) {
  const keys = [];
  for (let i = MINUTES - 1; i >= 0; i -= 1) keys.push(new Date(now.getTime() - i * 60000).toISOString().slice(0, 16));
  return keys;
}

function cards(data) {
  const perMinute = Object.values(data.per_minute).reduce((n, byMinute) => n + (byMinute[minuteKeys()[MINUTES - 1]] || 0), 0);
  return [
    ...COUNTERS.map((k) => h("div", { class: `card card-${k}`, dataset: { counter: k } },
      h("div", { class: "card-value", text: number(data[k]) }), h("div", { class: "card-label", text: t(`producer.counter.${k}`) }))),
    h("div", { class: "card card-rate", dataset: { counter: "rate" } }, h("div", { class: "card-value", text: number(perMinute) }),
      h("div", { class: "card-label", text: t("producer.counter.rate") })),
  ];
}

function segmentList(ctx, segments) {
  $("#no-segments").hidden = segments.length > 0;
  const list = clear($("#segments"));
  for (const s of segments) {
    const start = h("button", { type: "button", class: s.current ? "primary" : "", disabled: s.current || ctx.show.status !== "live",
      text: s.current ? t("producer.segment.current") : t("producer.segment.start"),
      onclick: async () => {
        try {
          await api("POST", `/api/shows/${ctx.show.id}/segment`, { segment_id: s.id });
          toast(t("producer.segment.started", { guest: s.guest }));
          await renderLive(ctx);
        } catch (err) { toast(err.message, "error"); }
      } });
    const guest = ctx.show.guests.find((g) => g.name === s.guest) || {};
    list.append(h("li", { class: s.current ? "current" : s.ended_at ? "done" : "" },
      h("div", { class: "seg-main" }, h("strong", { text: s.guest }),
        h("span", { class: "muted", text: [guest.position, s.title].filter(Boolean).join(" · ") })),
      h("span", { class: "muted", text: s.planned_minutes ? t("producer.minutes", { n: s.planned_minutes }) : "" }),
      start));
  }
}

function questionLine(q, pos) {
  return h("li", { dataset: { id: q.id } }, h("span", { class: "rid", text: pos === null ? "" : `${pos + 1}.` }),
    h("span", { class: "chip", text: label("channel", q.channel) }),
    q.addressee ? h("span", { class: "chip", text: q.addressee }) : null,
    q.district ? h("span", { class: "chip", text: label("district", q.district) }) : null,
    h("span", { class: "q-text", text: q.text }));
}

const REPLY_STATES = ["sent", "pending", "failed", "uncertain", "skipped"];
let wiredReplies = false;

function replyPanel(ctx, replies) {
  const box = $("#replies-on");
  box.checked = replies.enabled;
  if (!wiredReplies) {
    wiredReplies = true;
    box.addEventListener("change", async () => {
      try {
        await api("PUT", `/api/shows/${ctx.show.id}/replies`, { enabled: box.checked });
        toast(t(box.checked ? "producer.replies.turned_on" : "producer.replies.turned_off"));
      } catch (err) { toast(err.message, "error"); box.checked = !box.checked; }
    });
  }
  const counts = Object.fromEntries(REPLY_STATES.map((s) => [s, 0]));
  for (const r of replies.replies) counts[r.state === "sending" ? "pending" : r.state] += 1;
  $("#reply-counts").replaceChildren(...REPLY_STATES.map((s) => h("span", { class: `rs rs-${s}`, dataset: { state: s },
    text: `${t(`producer.reply.${s}`)}: ${number(counts[s])}` })));
}

const QUICK_CUES = ["one_minute", "wrap_up", "next_question", "next_guest"];
let wiredCue = false;

async function sendCue(ctx, text) {
  if (!text.trim()) return;
  try {
    await api("POST", `/api/shows/${ctx.show.id}/cue`, { text });
    toast(t("producer.cue_sent", { text }));
    $("#cue-text").value = "";
  } catch (err) { toast(err.message, "error"); }
}

function cueForm(ctx) {
  // quick cues go out in the host's language as the producer reads it; the host sees plain text
  $("#cue-quick").replaceChildren(...QUICK_CUES.map((k) => h("button", { type: "button", text: t(`producer.cue.${k}`),
    onclick: () => sendCue(ctx, t(`producer.cue.${k}`)) })));
  if (wiredCue) return;
  wiredCue = true;
  $("#cue-form").addEventListener("submit", (e) => { e.preventDefault(); sendCue(ctx, $("#cue-text").value); });
}

export async function renderLive(ctx) {
  await renderChannels(ctx);
  if (!ctx.show) return;
  const id = ctx.show.id;
  cueForm(ctx);
  replyPanel(ctx, await api("GET", `/api/shows/${id}/replies`));
  const [data, segments, approved, onAir] = await Promise.all([
    api("GET", `/api/shows/${id}/counters?minutes=${MINUTES}`), api("GET", `/api/shows/${id}/segments`),
    api("GET", `/api/shows/${id}/questions?status=approved&limit=1000`),
    api("GET", `/api/shows/${id}/questions?status=on_air&limit=1`)]);
  $("#counters").replaceChildren(...cards(data));
  const names = CHANNELS.filter((c) => data.per_minute[c]);
  const labels = Object.fromEntries(CHANNELS.map((c) => [c, label("channel", c)]));
  $("#per-minute").replaceChildren(minuteColumns(data.per_minute, minuteKeys(), names,
    { labels, tick: (m) => clock(`${m}:00Z`), title: t("producer.per_minute") }));
  segmentList(ctx, segments);
  const air = clear($("#on-air"));
  if (onAir.length) air.append(h("span", { class: "pill bad", text: t("status.on_air") }), h("span", { class: "q-text", text: onAir[0].air_text ?? onAir[0].text }));
  const rundown = approved.filter((q) => q.rundown_pos !== null).sort((a, b) => a.rundown_pos - b.rundown_pos);
  $("#rundown").replaceChildren(...rundown.slice(0, 30).map((q, i) => questionLine(q, i)));
  $("#no-rundown").hidden = rundown.length > 0;
}
