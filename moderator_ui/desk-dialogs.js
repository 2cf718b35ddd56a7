// The desk's pickers: reject reason, edit for air (original beside), merge into…, tag, help, conflict.
// Each returns a Promise of the choice, or null when cancelled. All viewer text goes in as text.

import { h } from "./dom.js";
import { DISTRICTS, REASONS, TOPICS, label, t } from "./i18n.js";
import { KEY_DISMISS, KEY_MERGE_SUGGESTED, KEY_SPLIT } from "./desk-duplicates.js";

export function dialogOpen() {
  return !!document.querySelector("dialog[open]");
}

function open(className, title, content, hint) {
  const dialog = h("dialog", { class: `dlg ${className}`, "aria-label": title },
    h("h2", { text: title }), content, hint ? h("p", { class: "hint", text: hint }) : null);
  // a pick list is named by its dialog's title (read aloud; axe's aria-input-field-name)
  for (const list of dialog.querySelectorAll("[role=listbox]:not([aria-label])")) list.setAttribute("aria-label", title);
  document.body.append(dialog);
  let done;
  const result = new Promise((resolve) => { done = resolve; });
  const close = (value = null) => {
    if (!dialog.isConnected) return;
    if (dialog.open) dialog.close();
    dialog.remove();
    done(value);
  };
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); close(null); });
  dialog.showModal();
  return { dialog, close, result };
}

/** A list picked with digits, ↑/↓ or j/k, and Enter; `start` is the item first chosen (-1: none yet). */
function choiceList(items, render, onChoose, start = 0) {
  let at = start;
  const list = h("ol", { class: "choices", role: "listbox" });
  const paint = () => {
    list.replaceChildren(...items.map((item, i) => h("li", {
      class: i === at ? "choice current" : "choice", role: "option", "aria-selected": String(i === at),
      onclick: () => onChoose(item),
    }, render(item, i))));
  };
  paint();
  const key = (event) => {
    if (event.key === "ArrowDown" || event.key === "j") at = Math.min(items.length - 1, at + 1);
    else if (event.key === "ArrowUp" || event.key === "k") at = at < 0 ? items.length - 1 : Math.max(0, at - 1);
    else if (event.key === "Enter") { if (items[at] !== undefined) onChoose(items[at]); }
    else return false;
    event.preventDefault();
    paint();
    return true;
  };
  return { list, key, set(newItems) { items = newItems; at = 0; paint(); }, current: () => items[at] };
}

/**
 * The reason a question's flags suggest, or null: its text is spam → spam; profane → offensive. Spam only by
 * the flood rule (`flood`: many people sent it word for word) suggests nothing, nor does a question without
 * such flags: Enter alone must never reject a profane question as spam, nor a real one at all.
 */
export function suggestedReason(flags = []) {
  if (flags.includes("spam") && !flags.includes("flood")) return "spam";
  if (flags.includes("profanity")) return "offensive";
  return null;
}

export function rejectDialog(q) {
  let box;
  const start = REASONS.indexOf(suggestedReason(q.flags));
  const choices = choiceList(REASONS, (reason, i) => [h("kbd", { text: String(i + 1) }), " ", label("reason", reason)],
    (reason) => box.close(reason), start);
  box = open("dlg-reject", t("dlg.reject.title", { id: q.id }), [h("p", { class: "quote", text: q.text }), choices.list],
    t("dlg.reject.hint"));
  box.dialog.addEventListener("keydown", (event) => {
    const digit = Number(event.key);
    if (digit >= 1 && digit <= REASONS.length) {
      event.preventDefault();
      box.close(REASONS[digit - 1]);
      return;
    }
    choices.key(event);
  });
  box.dialog.tabIndex = -1;
  box.dialog.focus();
  return box.result;
}

export function editDialog(q) {
  const area = h("textarea", { class: "edit-air", rows: "7", value: q.text, "aria-label": t("dlg.edit.air") });
  const save = h("button", { type: "button", class: "primary", text: t("act.save") });
  const cancel = h("button", { type: "button", text: t("act.cancel") });
  const box = open("dlg-edit", t("dlg.edit.title", { id: q.id }), [
    h("div", { class: "edit-cols" },
      h("section", {}, h("h3", { text: t("dlg.edit.original") }), h("div", { class: "edit-original", text: q.text_original })),
      h("section", {}, h("h3", { text: t("dlg.edit.air") }), area)),
    h("div", { class: "dlg-actions" }, cancel, save),
  ], t("dlg.edit.hint"));
  const finish = () => {
    const text = area.value.trim();
    box.close(text && text !== q.text ? { text, version: q.version } : null);
  };
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      finish();
    }
  });
  save.addEventListener("click", finish);
  cancel.addEventListener("click", () => box.close(null));
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
  return box.result;
}

function words(text) {
  return new Set((text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2));
}

function similarity(a, b) {
  let common = 0;
  for (const w of a) if (b.has(w)) common += 1;
  return common / (a.size + b.size - common || 1);
}

/** Candidates to merge into: the cluster head first, then the most similar open questions. */
function mergeCandidates(q, state, query) {
  const needle = query.trim().toLowerCase();
  const own = words(q.text);
  const scored = [];
  for (const other of state.questions.values()) {
    if (other.id === q.id || other.status === "merged" || other.status === "rejected") continue;
    let score;
    if (/^#?\d+$/.test(needle)) score = String(other.id) === needle.replace("#", "") ? 2 : -1;
    else if (needle) score = other.text.toLowerCase().includes(needle) ? 1 + similarity(own, words(other.text)) : -1;
    else score = other.id === q.cluster_id ? 2 : similarity(own, words(other.text));
    if (score > 0) scored.push([score, other]);
  }
  scored.sort((a, b) => b[0] - a[0] || a[1].id - b[1].id);
  return scored.slice(0, 8).map(([, other]) => other);
}

export function mergeDialog(q, state) {
  const input = h("input", { type: "search", class: "merge-search", placeholder: t("dlg.merge.search"),
    "aria-label": t("dlg.merge.search") });
  let box;
  const empty = h("p", { class: "muted", text: t("dlg.merge.none") });
  const choices = choiceList([], (other) => [
    h("span", { class: "rid", text: `#${other.id}` }), " ",
    h("span", { class: `badge st-${other.status}`, text: label("status", other.status) }), " ",
    other.asked_count > 1 ? h("span", { class: "asked", text: t("queue.asked", { n: other.asked_count }) }) : null, " ",
    h("span", { class: "choice-text", text: other.text }),
  ], (other) => box.close(other.id));
  const refresh = () => {
    const items = mergeCandidates(q, state, input.value);
    choices.set(items);
    empty.hidden = items.length > 0;
  };
  box = open("dlg-merge", t("dlg.merge.title", { id: q.id }),
    [h("p", { class: "quote", text: q.text }), input, choices.list, empty], t("dlg.merge.hint"));
  input.addEventListener("input", refresh);
  input.addEventListener("keydown", (event) => {
    if (["ArrowDown", "ArrowUp", "Enter"].includes(event.key)) choices.key(event);
  });
  refresh();
  input.focus();
  return box.result;
}

function select(name, options, value) {
  return h("select", { name, "aria-label": t(`dlg.tag.${name}`) },
    h("option", { value: "", text: t("dlg.tag.none") }),
    options.map(([slug, text]) => h("option", { value: slug, text, selected: slug === value })));
}

export function tagDialog(q, guests) {
  const topic = select("topic", TOPICS.map((s) => [s, label("topic", s)]), q.topic);
  const district = select("district", DISTRICTS.map((s) => [s, label("district", s)]), q.district);
  const names = guests.map((g) => g.name);
  if (q.addressee && !names.includes(q.addressee)) names.push(q.addressee);
  const addressee = select("addressee", names.map((n) => [n, n]), q.addressee);
  const save = h("button", { type: "button", class: "primary", text: t("act.save") });
  const box = open("dlg-tag", t("dlg.tag.title", { id: q.id }), [
    h("p", { class: "quote", text: q.text }),
    h("div", { class: "tag-grid" },
      h("label", {}, t("dlg.tag.topic"), topic),
      h("label", {}, t("dlg.tag.district"), district),
      h("label", {}, t("dlg.tag.addressee"), addressee)),
    h("div", { class: "dlg-actions" }, save),
  ], t("dlg.tag.hint"));
  const finish = () => {
    const fields = {};
    for (const [name, el] of [["topic", topic], ["district", district], ["addressee", addressee]]) {
      if ((el.value || null) !== (q[name] || null)) fields[name] = el.value;
    }
    box.close(Object.keys(fields).length ? { fields, version: q.version } : null);
  };
  box.dialog.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { // capture: a focused <select> would open its picker instead
      event.preventDefault();
      event.stopPropagation();
      finish();
    }
  }, true);
  save.addEventListener("click", finish);
  topic.focus();
  return box.result;
}

const HELP = [
  [["j", "k"], "help.move"], [["a"], "help.approve"], [["r"], "help.reject"], [["e"], "help.edit"],
  [["m"], "help.merge"], [[KEY_MERGE_SUGGESTED], "help.merge_suggested"], [[KEY_DISMISS], "help.dismiss"],
  [[KEY_SPLIT], "help.split"],
  [["t"], "help.tag"], [["s"], "help.star"], [["u"], "help.undo"], [["c"], "help.claim"],
  [["x"], "help.expand"], [["n"], "help.new"], [["/"], "help.search"], [["←", "→"], "help.pane"],
  [["Shift+J", "Shift+K"], "help.reorder"], [["Shift+A"], "help.play_next"], [["Shift+T"], "help.to_top"],
  [["o"], "help.on_air"], [["d"], "help.answered"],
  [["b"], "help.skip"], [["f"], "help.follow_up_air"], [["v"], "help.original"],
  [["Esc"], "help.escape"], [["Tab"], "help.tab"], [["?"], "help.help"],
];

export function helpDialog() {
  const close = h("button", { type: "button", text: t("act.close") });
  const box = open("dlg-help", t("dlg.help.title"), [
    // two columns: every key fits on a laptop screen without scrolling
    h("div", { class: "help-cols" }, [HELP.slice(0, Math.ceil(HELP.length / 2)), HELP.slice(Math.ceil(HELP.length / 2))]
      .map((part) => h("table", { class: "help-table" }, part.map(([keys, text]) => h("tr", {},
        h("td", {}, keys.map((k, i) => [i ? " " : "", h("kbd", { text: k })])), h("td", { text: t(text) })))))),
    h("div", { class: "dlg-actions" }, close),
  ]);
  close.addEventListener("click", () => box.close(null));
  box.dialog.addEventListener("keydown", (event) => {
    if (event.key === "?") { event.preventDefault(); box.close(null); }
  });
  close.focus();
  return box.result;
}

/** A 409: who changed the question, what it is now, and (for an edit) the text that was not saved. */
export function conflictDialog({ current, actor, action, mine }) {
  const keep = h("button", { type: "button", class: "primary", text: t("conflict.keep") });
  const retry = h("button", { type: "button", text: t("conflict.retry") });
  const box = open("dlg-conflict", t("conflict.title"), [
    h("p", { class: "conflict-body", text: t("conflict.body", { id: current.id, actor: actor || t("conflict.someone"),
      action: t(`act.${action}`) }) }),
    h("div", { class: "conflict-cols" },
      h("section", { class: "conflict-now" },
        h("h3", {}, t("conflict.now"), " ", h("span", { class: `badge st-${current.status}`, text: label("status", current.status) })),
        h("div", { class: "conflict-text", text: current.text }),
        h("div", { class: "conflict-meta" },
          current.topic ? h("span", { class: "chip topic", text: label("topic", current.topic) }) : null,
          current.district ? h("span", { class: "chip district", text: label("district", current.district) }) : null,
          current.addressee ? h("span", { class: "chip", text: current.addressee }) : null)),
      mine ? h("section", { class: "conflict-mine" }, h("h3", { text: t("conflict.yours") }),
        h("div", { class: "conflict-text", text: mine })) : null),
    h("div", { class: "dlg-actions" }, retry, keep),
  ]);
  keep.addEventListener("click", () => box.close(null));
  retry.addEventListener("click", () => box.close("retry"));
  keep.focus();
  return box.result;
}
