// The channel strip on the live tab: one chip per channel (each webhook, each ingest worker), green, amber
// (no message for a while during a live show) or red (silent worker, failing, dead letters), with its last
// message, lag, error rate and dead letters. Figures from GET /api/channels; names and reasons are ours.

import { api } from "./api.js";
import { h } from "./dom.js";
import { label, number, t } from "./i18n.js";

function ago(iso) {
  if (!iso) return t("producer.channel.never");
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  return t("producer.channel.ago", { span: span(seconds) });
}

function span(seconds) {
  if (seconds < 60) return t("producer.channel.seconds", { n: Math.round(seconds) });
  if (seconds < 3600) return t("producer.channel.minutes", { n: Math.round(seconds / 60) });
  return t("producer.channel.hours", { n: number(Math.round(seconds / 3600)) });
}

function chip(c, quiet) {
  const name = c.kind === "webhook" ? label("channel", c.channel) : `${label("channel", c.channel)} · ${t("producer.channel.worker")}`;
  const why = t(`producer.channel.why.${c.why}`, { n: number(quiet) });
  const facts = [
    `${t("producer.channel.last")}: ${ago(c.last_message_at)}`,
    c.lag_seconds !== null ? `${t("producer.channel.lag")}: ${span(c.lag_seconds)}` : null,
    `${t("producer.channel.errors")}: ${number(Math.round(c.error_rate * 100))}%`,
    c.dead_letters ? `${t("producer.channel.dead")}: ${number(c.dead_letters)}` : null,
  ].filter(Boolean);
  return h("li", { class: `channel-chip ch-${c.state}`, dataset: { channel: c.name, state: c.state },
    title: c.kind === "worker" ? c.name : null },
    h("span", { class: "ch-dot", "aria-hidden": "true" }),
    h("span", { class: "ch-body" }, h("strong", { text: name }), h("span", { class: "ch-why", text: why }),
      h("span", { class: "ch-facts", text: facts.join(" · ") })));
}

export async function renderChannels(ctx) {
  const data = await api("GET", `/api/channels${ctx.show ? `?show=${ctx.show.id}` : ""}`);
  const strip = document.getElementById("channels");
  strip.replaceChildren(...data.channels.map((c) => chip(c, data.quiet_minutes)));
  document.getElementById("no-channels").hidden = data.channels.length > 0;
}
