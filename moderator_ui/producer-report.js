// The report: totals, counts by channel/topic/district/language/status as SVG bar charts, on air vs
// follow-up, arrival→air times, per-moderator throughput. Prints cleanly (producer.css @media print).

import { api } from "./api.js";
import { $, h } from "./dom.js";
import { dateTime, label, number, t } from "./i18n.js";
import { PALETTE, barChart, splitBar } from "./producer-charts.js";

const DIMENSIONS = [["channel", "channel"], ["topic", "topic"], ["district", "district"], ["lang", "qlang"], ["status", "status"]];

export function exportLinks(base, what) {
  return [h("span", { class: "muted", text: t(what) }),
    ...["csv", "json"].map((fmt) => h("a", { class: "export", href: `${base}.${fmt}`, download: "", text: fmt.toUpperCase() }))];
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.round(seconds);
  return t("producer.duration", { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
}

function card(key, value, cls = "") {
  return h("div", { class: `card ${cls}`, dataset: { total: key } }, h("div", { class: "card-value", text: value }),
    h("div", { class: "card-label", text: t(`producer.total.${key}`) }));
}

function chartPanel(titleKey, chart) {
  return h("figure", { class: "panel chart-panel" }, h("figcaption", { text: t(titleKey) }), chart);
}

export async function renderReport(ctx) {
  if (!ctx.show) return;
  const r = await api("GET", `/api/shows/${ctx.show.id}/report`);
  $("#report-title").textContent = `${r.show.title} · ${dateTime(r.show.starts_at)}`;
  $("#report-exports").replaceChildren(...exportLinks(`/api/shows/${ctx.show.id}/export`, "producer.export.questions"));
  const tot = r.totals;
  $("#report-totals").replaceChildren(card("questions", number(tot.questions)), card("asked", number(tot.asked)),
    card("answered_on_air", number(tot.answered_on_air), "ok"), card("skipped", number(tot.skipped)),
    card("follow_up_on_air", number(tot.follow_up_on_air), "warn"), card("follow_up", number(tot.follow_up), "warn"),
    card("not_reached", number(tot.not_reached)), card("median", duration(r.time_to_air.median_seconds)),
    card("p90", duration(r.time_to_air.p90_seconds)));
  const outcome = splitBar([
    [t("producer.total.answered_on_air"), tot.answered_on_air, "#3ccf8e"], [t("producer.total.skipped"), tot.skipped, "#b39dff"],
    [t("producer.total.follow_up"), tot.follow_up, "#f5b94a"],
    [t("producer.total.not_reached"), tot.not_reached, "#4ea1ff"], [t("producer.total.dropped"), tot.rejected + tot.merged, "#6c7a94"]],
  { title: t("producer.chart.outcome") });
  const res = r.resolutions;
  const resolutions = splitBar([["resolved", "#3ccf8e"], ["explained", "#4ea1ff"], ["needs_time", "#f5b94a"], ["open", "#6c7a94"]]
    .map(([k, color]) => [t(`producer.res.${k}`), res[k] || 0, color]), { title: t("producer.chart.resolutions") });
  const charts = [chartPanel("producer.chart.outcome", outcome), chartPanel("producer.chart.resolutions", resolutions)];
  DIMENSIONS.forEach(([dim, kind], i) => {
    const entries = Object.entries(r[`by_${dim}`]).map(([k, n]) => [k ? label(kind, k) : t("producer.untagged"), n]);
    charts.push(chartPanel(`producer.chart.${dim}`, entries.length
      ? barChart(entries, { title: t(`producer.chart.${dim}`), color: PALETTE[i % PALETTE.length] })
      : h("p", { class: "muted", text: t("producer.empty") })));
  });
  if (r.moderators.length) {
    charts.push(chartPanel("producer.chart.moderators", barChart(r.moderators.map((m) => [m.actor, m.actions]),
      { title: t("producer.chart.moderators"), color: "#b39dff" })));
  }
  $("#charts").replaceChildren(...charts);
  $("#moderators tbody").replaceChildren(...r.moderators.map((m) => h("tr", {},
    h("td", { text: m.actor }), h("td", { class: "num", text: m.actions }),
    ...["approved", "rejected", "merged", "edited", "on_air", "follow_up"].map((k) => h("td", { class: "num", text: m[k] })))));
}
