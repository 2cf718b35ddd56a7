// The queue: filters, duplicate clusters, a stable order that new arrivals never disturb
// (they wait behind the "N new" bar), and a virtualised list that renders only the visible rows.

import { h } from "./dom.js";
import { clock, label, t } from "./i18n.js";
import { openSuggestions } from "./desk-duplicates.js";

export const ROW_HEIGHT = 84; // px; fixed so the list can be virtualised (matches .row in desk.css)
const OVERSCAN = 6;

/**
 * A question's flag chips. Spam that only the flood rule set (`flood` beside `spam`: many people, or one
 * many times, sent the text word for word) shows as "repeated", not as the red Spam chip: it is often a real
 * question a whole district asks.
 */
export function flagChips(flags = []) {
  const shown = flags.includes("flood") ? flags.filter((f) => f !== "spam") : flags;
  return shown.map((f) => h("span", { class: `chip flag flag-${f}`, text: label("flag", f),
    title: f === "flood" ? t("flag.flood_title") : null }));
}

export const EMPTY_FILTERS = { status: "new", channel: "", topic: "", district: "", lang: "", flag: "", q: "" };

export class QueueView {
  /**
   * @param {object} o
   * @param {import("./desk-state.js").DeskState} o.state
   * @param {HTMLElement} o.scroller the scrolling box
   * @param {HTMLElement} o.spacer its only child: as tall as every row together
   * @param {HTMLElement} o.newBar the "N new" button
   * @param {() => string} o.me the signed-in username
   * @param {(id: number) => void} o.onFocus
   * @param {(id: number, event: MouseEvent) => void} o.onPick a row clicked
   */
  constructor(o) {
    Object.assign(this, o);
    this.filters = { ...EMPTY_FILTERS };
    this.entries = []; // [{id, member}] in display order
    this.index = new Map(); // id → position in entries
    this.members = new Map(); // head id → member ids (among the filtered questions)
    this.expanded = new Set();
    this.pending = new Set(); // arrived after the last rebuild and matching the filters
    this.focusId = null;
    this.searchCache = new Map();
    this.frame = 0;
    this.scroller.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  // -- filtering ---------------------------------------------------------------------------

  haystack(q) {
    const cached = this.searchCache.get(q.id);
    if (cached && cached.version === q.version) return cached.text;
    const text = `#${q.id} ${q.text} ${q.text_original} ${q.author?.name || ""} ${q.author?.handle || ""}`.toLowerCase();
    this.searchCache.set(q.id, { version: q.version, text });
    return text;
  }

  matches(q) {
    const f = this.filters;
    if (f.status && q.status !== f.status) return false;
    if (f.channel && q.channel !== f.channel) return false;
    if (f.topic && q.topic !== f.topic) return false;
    if (f.district && q.district !== f.district) return false;
    if (f.lang && q.lang !== f.lang) return false;
    if (f.flag === "starred" ? !q.starred : f.flag && !(q.flags || []).includes(f.flag)) return false;
    if (f.q) {
      const needle = f.q.trim().toLowerCase();
      if (/^#\d+$/.test(needle)) return `#${q.id}` === needle;
      if (needle && !this.haystack(q).includes(needle)) return false;
    }
    return true;
  }

  setFilters(filters) {
    this.filters = { ...this.filters, ...filters };
    this.rebuild();
  }

  /** Recompute the order from scratch: newest first, each cluster's members under its head. */
  rebuild() {
    const matched = [];
    const ids = new Set();
    for (const q of this.state.questions.values()) {
      if (this.matches(q)) {
        matched.push(q);
        ids.add(q.id);
      }
    }
    this.members = new Map();
    const heads = [];
    for (const q of matched) {
      if (q.cluster_id !== q.id && ids.has(q.cluster_id)) {
        if (!this.members.has(q.cluster_id)) this.members.set(q.cluster_id, []);
        this.members.get(q.cluster_id).push(q.id);
      } else {
        heads.push(q.id);
      }
    }
    heads.sort((a, b) => b - a);
    const entries = [];
    for (const id of heads) {
      entries.push({ id, member: false });
      if (this.expanded.has(id)) {
        for (const m of (this.members.get(id) || []).sort((a, b) => a - b)) entries.push({ id: m, member: true });
      }
    }
    this.setEntries(entries);
    this.pending.clear();
  }

  setEntries(entries) {
    const focusAt = this.index.get(this.focusId);
    this.entries = entries;
    this.index = new Map(entries.map((e, i) => [e.id, i]));
    if (this.focusId === null || !this.index.has(this.focusId)) {
      const next = entries[Math.min(focusAt ?? 0, entries.length - 1)];
      this.focusId = next ? next.id : null;
      if (this.focusId !== null) this.onFocus(this.focusId);
    }
    this.spacer.style.height = `${entries.length * ROW_HEIGHT}px`;
    this.schedule();
    this.updateNewBar();
    if (this.onView) this.onView(entries.length);
  }

  /** A question never seen before: show it at once only when the list is empty, else count it. */
  arrived(id) {
    const q = this.state.get(id);
    if (!q || !this.matches(q)) return;
    if (this.entries.length === 0) {
      this.rebuild();
      return;
    }
    this.pending.add(id);
    this.updateNewBar();
  }

  showNew() {
    const keep = this.focusId;
    this.rebuild();
    if (keep !== null && this.index.has(keep)) this.focus(keep);
    this.scroller.scrollTop = 0;
  }

  updateNewBar() {
    const n = this.pending.size;
    this.newBar.hidden = n === 0;
    this.newBar.textContent = n ? t("queue.new_bar", { n }) : "";
  }

  // -- focus -------------------------------------------------------------------------------

  focused() {
    return this.focusId === null ? null : this.state.get(this.focusId);
  }

  focus(id, { scroll = true } = {}) {
    if (!this.index.has(id)) return;
    this.focusId = id;
    if (scroll) this.reveal(this.index.get(id));
    this.schedule();
    this.onFocus(id);
  }

  move(delta) {
    if (this.entries.length === 0) return;
    const at = this.index.get(this.focusId);
    const next = Math.max(0, Math.min(this.entries.length - 1, (at ?? -1) + delta));
    this.focus(this.entries[next].id);
  }

  reveal(i) {
    const top = i * ROW_HEIGHT;
    const view = this.scroller;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
  }

  /** Expand or fold the focused cluster; on a member, fold its head and focus the head. */
  toggleCluster() {
    const q = this.focused();
    if (!q) return;
    const entry = this.entries[this.index.get(q.id)];
    const head = entry.member ? q.cluster_id : q.id;
    if (!this.members.has(head) && !entry.member) return;
    const at = this.index.get(head);
    const entries = this.entries.slice();
    const memberIds = (this.members.get(head) || []).slice().sort((a, b) => a - b);
    if (this.expanded.has(head)) {
      this.expanded.delete(head);
      entries.splice(at + 1, memberIds.filter((m) => this.index.has(m)).length);
    } else {
      this.expanded.add(head);
      entries.splice(at + 1, 0, ...memberIds.map((m) => ({ id: m, member: true })));
    }
    this.focusId = head;
    this.setEntries(entries);
    this.focus(head);
  }

  // -- rendering ---------------------------------------------------------------------------

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    const view = this.scroller;
    const first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.entries.length, Math.ceil((view.scrollTop + view.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const rows = [];
    for (let i = first; i < last; i++) {
      const entry = this.entries[i];
      const q = this.state.get(entry.id);
      if (q) rows.push(this.row(q, i, entry.member));
    }
    this.spacer.replaceChildren(...rows);
    if (this.entries.length === 0) this.spacer.append(h("div", { class: "queue-empty", text: t("queue.empty") }));
  }

  row(q, i, member) {
    const holder = this.state.claims.get(q.id);
    const mine = holder && holder === this.me();
    const focused = q.id === this.focusId;
    const classes = ["row", `s-${q.status}`];
    if (focused) classes.push("focused");
    if (member) classes.push("member");
    if (holder && !mine) classes.push("claimed");
    if (q.starred) classes.push("starred");
    const el = h("div", {
      class: classes.join(" "), role: "option", "aria-selected": String(focused), draggable: "true",
      dataset: { id: q.id, status: q.status },
      onclick: (event) => this.onPick(q.id, event),
      ondragstart: (event) => {
        event.dataTransfer.setData("application/x-efir-question", String(q.id));
        event.dataTransfer.setData("text/plain", `#${q.id}`);
        event.dataTransfer.effectAllowed = "move";
      },
    },
    h("div", { class: "row-meta" },
      h("span", { class: "rid", text: `#${q.id}` }),
      h("span", { class: `ch ch-${q.channel}`, text: label("channel", q.channel) }),
      q.author?.name ? h("span", { class: "author", text: q.author.name }) : null,
      h("time", { class: "time", datetime: q.received_at, text: clock(q.received_at) }),
      h("span", { class: "chip lang", title: label("qlang", q.lang), text: q.lang }),
      flagChips(q.flags),
      this.dupOf(q, member),
      openSuggestions(q, this.state).length ? h("span", { class: "chip maybe", title: t("queue.maybe_dup_title"),
        text: t("queue.maybe_dup") }) : null,
      q.topic ? h("span", { class: "chip topic", text: label("topic", q.topic) }) : null,
      q.district ? h("span", { class: "chip district", text: label("district", q.district) }) : null,
      h("span", { class: "grow" }),
      holder ? h("span", { class: mine ? "lock mine" : "lock", text: mine ? t("queue.you_claimed") : t("queue.claimed_by", { user: holder }) }) : null,
      q.starred ? h("span", { class: "star", text: "★", title: label("flag", "starred") }) : null,
      this.askedBadge(q, member),
      h("span", { class: `badge st-${q.status}`, text: label("status", q.status) })),
    h("div", { class: "row-text", text: q.text }));
    el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    return el;
  }

  /** A member whose cluster head is not in this view (say, already approved) says whose duplicate it is. */
  dupOf(q, member) {
    if (member || q.cluster_id === q.id || this.index.has(q.cluster_id)) return null;
    const head = this.state.questions.get(q.cluster_id);
    if (!head) return null;
    return h("span", { class: "chip dup", title: head.text,
      text: t("queue.dup_of", { id: head.id, status: label("status", head.status) }) });
  }

  askedBadge(q, member) {
    if (member || q.asked_count <= 1) return null;
    const n = (this.members.get(q.id) || []).length;
    const open = this.expanded.has(q.id);
    return h("span", { class: "asked", title: t("queue.asked_title", { n: q.asked_count }) },
      t("queue.asked", { n: q.asked_count }), n ? (open ? " ▾" : " ▸") : "");
  }
}
