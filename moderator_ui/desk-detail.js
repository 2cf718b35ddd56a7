// The focused question in full: text for air, text as received, who, where, and the action buttons.

import { h } from "./dom.js";
import { dateTime, label, t } from "./i18n.js";
import { renderDuplicates } from "./desk-duplicates.js";
import { flagChips } from "./desk-queue.js";

const BUTTONS = [["approve", "a"], ["reject", "r"], ["edit", "e"], ["merge", "m"], ["tag", "t"], ["star", "s"],
  ["claim", "c"]];

export function renderDetail(box, q, { state, me, onKey, act }) {
  if (!q) {
    box.replaceChildren();
    return;
  }
  const holder = state.claims.get(q.id);
  const edited = q.text !== q.text_original;
  const also = sameResident(state, q);
  box.replaceChildren(...[
    h("div", { class: "detail-head" },
      h("span", { class: "rid", text: `#${q.id}` }),
      h("span", { class: `badge st-${q.status}`, text: label("status", q.status) }),
      q.reason ? h("span", { class: "chip", text: label("reason", q.reason) }) : null,
      q.asked_count > 1 ? h("span", { class: "asked", title: t("queue.asked_title", { n: q.asked_count }),
        text: t("queue.asked", { n: q.asked_count }) }) : null,
      q.starred ? h("span", { class: "star", text: "★" }) : null),
    holder ? h("div", { class: holder === me ? "detail-lock mine" : "detail-lock",
      text: holder === me ? t("queue.you_claimed") : t("queue.claimed_by", { user: holder }) }) : null,
    h("div", { class: "detail-text", text: q.text }),
    renderDuplicates(q, { state, onKey, act }),
    edited ? h("div", { class: "detail-original" }, h("h3", { text: t("dlg.edit.original") }),
      h("div", { text: q.text_original })) : null,
    h("dl", { class: "detail-meta" },
      h("dt", { text: t("filter.channel") }), h("dd", { text: label("channel", q.channel) }),
      q.author?.name ? [h("dt", { text: t("phone.caller") }), h("dd", { text: q.author.name })] : null,
      h("dt", { text: "⏱" }), h("dd", {}, h("time", { datetime: q.received_at, text: dateTime(q.received_at) })),
      h("dt", { text: t("filter.lang") }), h("dd", { text: label("qlang", q.lang) }),
      h("dt", { text: t("filter.topic") }), h("dd", { text: label("topic", q.topic) || "—" }),
      h("dt", { text: t("filter.district") }), h("dd", { text: label("district", q.district) || "—" }),
      h("dt", { text: t("dlg.tag.addressee") }), h("dd", { text: q.addressee || "—" }),
      also.length ? [h("dt", { text: t("detail.also") }), h("dd", { class: "detail-also" }, also.map((o) =>
        h("span", { class: "chip", title: o.text, text: `${label("channel", o.channel)} #${o.id}` })))] : null,
      q.flags?.length ? [h("dt", { text: t("filter.flag") }),
        h("dd", {}, flagChips(q.flags))] : null),
    h("div", { class: "detail-actions" }, BUTTONS.map(([action, key]) => h("button", {
      type: "button", dataset: { action }, onclick: () => onKey(key),
    }, action === "claim" && holder === me ? t("act.release") : t(`act.${action}`), " ", h("kbd", { text: key })))),
  ].filter(Boolean));
}

/** The same resident's other questions: intake normalises phone contacts on every channel. */
function sameResident(state, q) {
  const contact = q.author?.contact;
  if (!contact) return [];
  const found = [];
  for (const other of state.questions.values()) {
    if (other.id !== q.id && other.author?.contact === contact) found.push(other);
  }
  return found.sort((a, b) => a.id - b.id).slice(0, 8);
}
