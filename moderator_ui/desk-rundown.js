// The rundown beside the queue: what is on air, then approved questions in air order.
// Reorder by drag-and-drop or from the keyboard (Shift+J / Shift+K). The on-air question shows the text as the
// host reads it (PII masked by the server, `air_text`), the original a key away, and its outcomes: answered,
// skipped back to the top of the rundown, or to follow-up.

import { h } from "./dom.js";
import { label, t } from "./i18n.js";

/** How the question on air may end: [action, key, label]. */
export const OUTCOMES = [["answered", "d", "rundown.answered"], ["skip", "b", "rundown.skip"],
  ["follow_up", "f", "rundown.follow_up"]];
export const KEY_ORIGINAL = "v";

/** The text the host reads: the server's one air text; a question without one has nothing to mask. */
export function airText(q) {
  return q.air_text ?? q.text;
}

export class RundownView {
  /**
   * @param {object} o
   * @param {import("./desk-state.js").DeskState} o.state
   * @param {HTMLElement} o.onAirBox
   * @param {HTMLElement} o.list
   * @param {HTMLSelectElement} o.guestSelect
   * @param {(q: object, action: string, extra?: object) => Promise<object|null>} o.act
   * @param {(q: object) => void} o.putOnAir
   * @param {(order: number[]) => Promise<void>} o.reorder
   */
  constructor(o) {
    Object.assign(this, o);
    this.cursor = null; // focused rundown question id when the rundown pane has the keyboard
    this.active = false;
    this.original = false; // the on-air box shows the text as received instead of as read (KEY_ORIGINAL)
    this.frame = 0;
    this.guest = localStorage.getItem("efir.desk.guest") || "";
    this.guestSelect.addEventListener("change", () => {
      this.guest = this.guestSelect.value;
      localStorage.setItem("efir.desk.guest", this.guest);
      this.schedule();
    });
    this.list.addEventListener("dragover", (event) => this.dragOver(event));
    this.list.addEventListener("dragleave", () => this.clearDropMark());
    this.list.addEventListener("drop", (event) => this.drop(event));
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  items() {
    return this.state.rundown();
  }

  render() {
    this.renderGuests();
    this.renderOnAir();
    const items = this.items();
    if (this.cursor !== null && !items.some((q) => q.id === this.cursor)) this.cursor = items[0]?.id ?? null;
    const rows = items.map((q, i) => this.item(q, i));
    if (rows.length === 0) rows.push(h("li", { class: "rundown-empty", text: t("rundown.empty") }));
    this.list.replaceChildren(...rows);
  }

  renderGuests() {
    const guests = this.state.show?.guests || [];
    const names = guests.map((g) => g.name);
    const current = Array.from(this.guestSelect.options, (o) => o.value).join("\n");
    if (current !== ["", ...names].join("\n")) {
      this.guestSelect.replaceChildren(h("option", { value: "", text: t("dlg.tag.none") }),
        ...guests.map((g) => h("option", { value: g.name, text: g.position ? `${g.name} — ${g.position}` : g.name })));
    }
    // the producer started a guest's segment: that guest is the desk's current guest (a moderator may still
    // pick another one until the next segment starts)
    const segment = this.state.show?.segment;
    if (segment && segment.id !== this.segmentId) {
      this.segmentId = segment.id;
      if (names.includes(segment.guest)) {
        this.guest = segment.guest;
        localStorage.setItem("efir.desk.guest", this.guest);
      }
    }
    this.guestSelect.value = names.includes(this.guest) ? this.guest : "";
  }

  renderOnAir() {
    const q = this.state.onAir();
    if (!q) {
      this.onAirBox.replaceChildren(h("div", { class: "onair-empty", text: t("rundown.nothing_on_air") }));
      this.onAirBox.classList.remove("live");
      return;
    }
    this.onAirBox.classList.add("live");
    const original = this.original;
    this.onAirBox.replaceChildren(
      h("div", { class: "onair-label" }, h("span", { class: "onair-dot" }), t("rundown.on_air"),
        h("span", { class: "rid", text: `#${q.id}` }), h("span", { class: "spacer" }),
        h("button", { type: "button", class: "ghost onair-toggle", dataset: { view: original ? "original" : "air" },
          "aria-pressed": String(original), title: t("help.original"), onclick: () => this.toggleOriginal() },
        t(original ? "rundown.original" : "rundown.as_read"), " ", h("kbd", { text: KEY_ORIGINAL }))),
      // a long question scrolls here: focusable, so the keyboard scrolls it too
      h("div", { class: original ? "onair-text original" : "onair-text", tabindex: "0",
        text: original ? q.text_original : airText(q) }),
      h("div", { class: "onair-meta" }, this.meta(q)),
      h("div", { class: "onair-actions" }, OUTCOMES.map(([action, key, name]) =>
        h("button", { type: "button", class: action === "answered" ? "primary" : "", dataset: { action },
          onclick: () => this.act(q, action) }, t(name), " ", h("kbd", { text: key })))));
  }

  /** Between the text as the host reads it and the text as the viewer sent it. */
  toggleOriginal() {
    this.original = !this.original;
    this.schedule();
  }

  meta(q) {
    return [
      q.author?.name ? h("span", { class: "author", text: q.author.name }) : null,
      q.district ? h("span", { class: "chip district", text: label("district", q.district) }) : null,
      q.topic ? h("span", { class: "chip topic", text: label("topic", q.topic) }) : null,
      q.addressee ? h("span", { class: "chip addressee", text: t("rundown.to", { name: q.addressee }) }) : null,
      q.asked_count > 1 ? h("span", { class: "asked", text: t("queue.asked", { n: q.asked_count }) }) : null,
    ];
  }

  item(q, i) {
    const classes = ["rundown-item"];
    if (this.active && q.id === this.cursor) classes.push("focused");
    if (this.guest && q.addressee === this.guest) classes.push("guest");
    if (this.state.claims.has(q.id)) classes.push("claimed");
    return h("li", {
      class: classes.join(" "), draggable: "true", dataset: { id: q.id },
      ondragstart: (event) => {
        event.dataTransfer.setData("application/x-efir-question", String(q.id));
        event.dataTransfer.effectAllowed = "move";
      },
      onclick: () => { this.cursor = q.id; this.schedule(); },
    },
    h("span", { class: "pos", text: String(i + 1) }),
    h("div", { class: "rundown-body" },
      h("div", { class: "rundown-text", text: airText(q) }),
      h("div", { class: "rundown-meta" }, h("span", { class: "rid", text: `#${q.id}` }), this.meta(q))),
    h("button", { type: "button", class: "air", dataset: { action: "on_air" },
      onclick: (event) => { event.stopPropagation(); this.putOnAir(q); } }, t("rundown.put_on_air")));
  }

  // -- keyboard ----------------------------------------------------------------------------

  focusedQuestion() {
    return this.cursor === null ? null : this.state.get(this.cursor);
  }

  setActive(active) {
    this.active = active;
    if (active && this.cursor === null) this.cursor = this.items()[0]?.id ?? null;
    this.schedule();
  }

  move(delta) {
    const items = this.items();
    if (!items.length) return;
    const at = items.findIndex((q) => q.id === this.cursor);
    this.cursor = items[Math.max(0, Math.min(items.length - 1, (at < 0 ? 0 : at) + delta))].id;
    this.schedule();
    this.list.querySelector(`[data-id="${this.cursor}"]`)?.scrollIntoView({ block: "nearest" });
  }

  /** Shift+J / Shift+K: move the focused question one place later / earlier in the air order. */
  moveItem(delta) {
    const items = this.items();
    const at = items.findIndex((q) => q.id === this.cursor);
    if (at < 0) return;
    const position = at + delta;
    if (position < 0 || position >= items.length) return;
    this.act(items[at], "queue", { position });
  }

  /** Put the guest's questions first, keeping the order within each group. */
  guestFirst() {
    if (!this.guest) return;
    const items = this.items();
    const order = [...items.filter((q) => q.addressee === this.guest), ...items.filter((q) => q.addressee !== this.guest)];
    if (order.some((q, i) => q.id !== items[i].id)) this.reorder(order.map((q) => q.id));
  }

  // -- drag and drop -----------------------------------------------------------------------

  dropIndex(event) {
    const rows = Array.from(this.list.querySelectorAll(".rundown-item"));
    for (let i = 0; i < rows.length; i++) {
      const box = rows[i].getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) return i;
    }
    return rows.length;
  }

  dragOver(event) {
    if (!event.dataTransfer.types.includes("application/x-efir-question")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const at = this.dropIndex(event);
    this.clearDropMark();
    const rows = this.list.querySelectorAll(".rundown-item");
    if (rows[at]) rows[at].classList.add("drop-before");
    else if (rows.length) rows[rows.length - 1].classList.add("drop-after");
    else this.list.classList.add("drop-into");
  }

  clearDropMark() {
    this.list.classList.remove("drop-into");
    for (const el of this.list.querySelectorAll(".drop-before, .drop-after")) el.classList.remove("drop-before", "drop-after");
  }

  async drop(event) {
    const id = Number(event.dataTransfer.getData("application/x-efir-question"));
    if (!id) return;
    event.preventDefault();
    let position = this.dropIndex(event);
    this.clearDropMark();
    let q = this.state.get(id);
    if (!q) return;
    this.cursor = id; // the keyboard carries on from the question just placed
    if (q.status === "new") { // dropped from the queue: approve, then place it
      q = await this.act(q, "approve");
      if (!q) return;
    }
    if (q.status !== "approved") return;
    const items = this.items();
    const from = items.findIndex((r) => r.id === id);
    if (from >= 0 && from < position) position -= 1;
    if (from === position) return;
    this.act(q, "queue", { position: Math.max(0, position) });
  }
}
