// The shows tab: every show, a new one, the Tue/Thu 20:00 schedule, the guests and the segment plan.

import { api } from "./api.js";
import { $, h, toast } from "./dom.js";
import { DISTRICTS, dateTime, label, t } from "./i18n.js";

function showsTable(ctx) {
  $("#shows-table tbody").replaceChildren(...ctx.shows.map((s) => h("tr", {
    class: ctx.show && s.id === ctx.show.id ? "selected" : "", dataset: { id: s.id },
  }, h("td", {}, h("a", { href: `/producer?show=${s.id}#shows`, text: s.title })), h("td", { text: dateTime(s.starts_at) }),
  h("td", {}, h("span", { class: `badge sh-${s.status}`, text: t(`show.${s.status}`) })),
  h("td", { text: s.guests.map((g) => g.name).join(", ") }))));
}

// every field of the guests' and segments' tables is named by its column (read aloud, and axe's `label`)
function input(name, value, labelKey, attrs = {}) {
  return h("input", { name, value: value || "", maxlength: 300, "aria-label": t(labelKey), ...attrs });
}

function districtSelect(value) {
  return h("select", { name: "district", "aria-label": t("producer.guest.district") }, h("option", { value: "", text: "—" }),
    ...DISTRICTS.map((d) => h("option", { value: d, selected: d === value, text: label("district", d) })));
}

function guestRow(g = {}) {
  return h("tr", {}, h("td", {}, input("name", g.name, "producer.guest.name", { required: true })),
    h("td", {}, input("position", g.position, "producer.guest.position")),
    h("td", {}, districtSelect(g.district)), h("td", {}, input("department", g.department, "producer.guest.department")),
    h("td", {}, h("button", { type: "button", class: "ghost", text: "×", "aria-label": t("producer.remove"),
      onclick: (e) => e.target.closest("tr").remove() })));
}

function guestSelect(ctx, value) {
  return h("select", { name: "guest", "aria-label": t("producer.segment.guest") }, ...ctx.show.guests.map((g) => h("option", { value: g.name, selected: g.name === value, text: g.name })));
}

function segmentRow(ctx, s = {}) {
  return h("tr", { dataset: { id: s.id || "" } }, h("td", { class: "rid", text: s.position === undefined ? "+" : s.position + 1 }),
    h("td", {}, guestSelect(ctx, s.guest)), h("td", {}, input("title", s.title, "producer.segment.title")),
    h("td", {}, input("planned_minutes", s.planned_minutes, "producer.segment.minutes", { type: "number", min: 1, max: 600 })),
    h("td", {}, h("button", { type: "button", class: "ghost", text: "×", "aria-label": t("producer.remove"),
      onclick: (e) => e.target.closest("tr").remove() })));
}

function value(row, name) {
  const el = row.querySelector(`[name=${name}]`);
  return el && el.value.trim() ? el.value.trim() : null;
}

async function saveGuests(ctx) {
  const guests = Array.from($("#guests tbody").rows).map((r) => ({ name: value(r, "name"), position: value(r, "position"),
    district: value(r, "district"), department: value(r, "department") })).filter((g) => g.name);
  try {
    ctx.show = await api("PATCH", `/api/shows/${ctx.show.id}`, { guests });
    toast(t("producer.saved"));
    await ctx.reload();
    await renderShows(ctx);
  } catch (err) { toast(err.message, "error"); }
}

async function saveSegments(ctx) {
  const segments = Array.from($("#segment-plan tbody").rows).map((r) => ({ id: Number(r.dataset.id) || null,
    guest: value(r, "guest"), title: value(r, "title"),
    planned_minutes: value(r, "planned_minutes") ? Number(value(r, "planned_minutes")) : null })).filter((s) => s.guest);
  try {
    await api("PUT", `/api/shows/${ctx.show.id}/segments`, { segments });
    toast(t("producer.saved"));
    await renderShows(ctx);
  } catch (err) { toast(err.message, "error"); }
}

let wired = false;

function wire(ctx) {
  if (wired) return;
  wired = true;
  $("#new-show").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.target;
    try {
      const created = await api("POST", "/api/shows", { title: form.title.value.trim(),
        starts_at: new Date(form.starts_at.value).toISOString() });
      ctx.show = created;
      await ctx.reload();
      await renderShows(ctx);
    } catch (err) { toast(err.message, "error"); }
  });
  $("#schedule").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const made = await api("POST", "/api/shows/schedule", { title: e.target.title.value.trim(),
        count: Number(e.target.count.value) || 4, guests: ctx.show ? ctx.show.guests : [] });
      toast(t("producer.scheduled", { n: made.length }));
      await ctx.reload();
      await renderShows(ctx);
    } catch (err) { toast(err.message, "error"); }
  });
  $("#add-guest").addEventListener("click", () => $("#guests tbody").append(guestRow()));
  $("#add-segment").addEventListener("click", () => ctx.show && $("#segment-plan tbody").append(segmentRow(ctx)));
  $("#save-guests").addEventListener("click", () => ctx.show && saveGuests(ctx));
  $("#save-segments").addEventListener("click", () => ctx.show && saveSegments(ctx));
}

export async function renderShows(ctx) {
  wire(ctx);
  showsTable(ctx);
  if (!ctx.show) return;
  $("#guests tbody").replaceChildren(...ctx.show.guests.map(guestRow));
  const segments = await api("GET", `/api/shows/${ctx.show.id}/segments`);
  $("#segment-plan tbody").replaceChildren(...segments.map((s) => segmentRow(ctx, s)));
}
