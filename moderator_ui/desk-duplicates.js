// Near-duplicates in the detail pane: why a question joined its cluster, and the clusters the index suggests
// it may repeat (merge into the first with y, dismiss it with i; take a member out of its cluster with p).

import { h } from "./dom.js";
import { label, t } from "./i18n.js";

export const KEY_MERGE_SUGGESTED = "y";
export const KEY_DISMISS = "i";
export const KEY_SPLIT = "p";
const EXCERPT = 120; // characters of the suggested head's text

/** The suggestions still worth showing: not dismissed, not its own cluster, the head still open. */
export function openSuggestions(q, state) {
  if (!q || !q.suggested?.length || q.status === "merged") return [];
  const dismissed = new Set(q.dismissed || []);
  return q.suggested.filter((s) => {
    if (dismissed.has(s.id) || s.id === q.cluster_id || s.id === q.id) return false;
    const head = state.get(s.id);
    return !head || (head.status !== "merged" && head.status !== "rejected");
  });
}

/** A member that joined its cluster (not merged by hand) can be split out of it. */
export function splittable(q) {
  return !!q && q.cluster_id !== q.id && q.status !== "merged";
}

/** A problem slug's label; one without a label reads as words ("no_hot_water" → "no hot water"). */
export function problemLabel(slug) {
  const text = label("problem", slug);
  return text === slug ? String(slug).replace(/_/g, " ") : text;
}

/** The place words as the question wrote them: "Шаңырақ" and "2" read "Шаңырақ-2" when the text says so. */
function placeText(words, text) {
  const out = [];
  for (const word of words) {
    const last = out[out.length - 1];
    if (last !== undefined && (text || "").includes(`${last}-${word}`)) out[out.length - 1] = `${last}-${word}`;
    else out.push(word);
  }
  return out.join(" ");
}

/** "same place: Шаңырақ-2 · same problem: no water" (words when no problem is known). */
export function reasonText(reason, text) {
  if (!reason) return "";
  const parts = [];
  if (reason.same_text) parts.push(t("why.same_text"));
  if (reason.place?.length) parts.push(t("why.place", { place: placeText(reason.place, text) }));
  if (reason.problem?.length) parts.push(t("why.problem", { problem: reason.problem.map(problemLabel).join(", ") }));
  else if (reason.words?.length) parts.push(t("why.words", { words: reason.words.join(", ") }));
  return parts.join(" · ");
}

function excerpt(text) {
  const value = text || "";
  return value.length > EXCERPT ? `${value.slice(0, EXCERPT - 1).trimEnd()}…` : value;
}

function keyButton(action, key, text, onClick) {
  return h("button", { type: "button", dataset: { action }, onclick: onClick }, text, " ", key ? h("kbd", { text: key }) : null);
}

/** The detail pane's near-duplicate part for `q` (null when there is nothing to say). */
export function renderDuplicates(q, { state, onKey, act }) {
  const parts = [];
  if (splittable(q)) {
    const head = state.get(q.cluster_id);
    parts.push(h("section", { class: "dup-why" },
      h("h3", { text: t("why.title", { id: q.cluster_id }) }),
      q.cluster_reason ? h("p", { class: "why-text", text: reasonText(q.cluster_reason, q.text) }) : null,
      head ? h("p", { class: "dup-excerpt", text: excerpt(head.text) }) : null,
      h("div", { class: "dup-actions" },
        keyButton("split", KEY_SPLIT, t("act.split"), () => onKey(KEY_SPLIT)))));
  }
  const suggestions = openSuggestions(q, state);
  if (suggestions.length) {
    parts.push(h("section", { class: "dup-suggested" },
      h("h3", { text: t("suggest.title") }),
      suggestions.map((s, i) => {
        const head = state.get(s.id);
        return h("div", { class: i === 0 ? "suggestion first" : "suggestion", dataset: { id: s.id } },
          h("p", { class: "suggestion-head" },
            h("span", { text: t("suggest.maybe", { id: s.id }) }),
            head ? h("span", { class: "chip lang", title: label("qlang", head.lang), text: head.lang }) : null,
            head?.asked_count > 1 ? h("span", { class: "asked", text: t("queue.asked", { n: head.asked_count }) }) : null),
          head ? h("p", { class: "dup-excerpt", text: excerpt(head.text) }) : null,
          h("p", { class: "why-text", text: reasonText(s.reason, q.text) }),
          h("div", { class: "dup-actions" },
            keyButton("merge-suggested", i === 0 ? KEY_MERGE_SUGGESTED : null, t("act.merge_suggested"),
              () => (i === 0 ? onKey(KEY_MERGE_SUGGESTED) : act(q, "merge", { into: s.id }))),
            keyButton("dismiss", i === 0 ? KEY_DISMISS : null, t("act.dismiss"),
              () => (i === 0 ? onKey(KEY_DISMISS) : act(q, "dismiss", { into: s.id })))));
      })));
  }
  return parts.length ? h("div", { class: "detail-dups" }, parts) : null;
}
