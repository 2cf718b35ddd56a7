// The follow-up board: cases across shows (questions not answered on air), each with an assignee, a due date
// and a resolution; filterable; overdue rows marked. Each save is the desk's follow_up action (one event).

import { api } from "./api.js";
import { $, h, toast } from "./dom.js";
import { DISTRICTS, dateTime, label, t } from "./i18n.js";
import { exportLinks } from "./producer-report.js";

const RESOLUTIONS = ["resolved", "explained", "needs_time"];
let wired = false;

function filters(ctx) {
  const keep = (id) => $(id).value;
  const show = keep("#case-show");
  $("#case-show").replaceChildren(h("option", { value: "", text: t("filter.all") }),
    ...ctx.shows.map((s) => h("option", { value: s.id, selected: String(s.id) === show, text: `${s.title} · ${dateTime(s.starts_at)}` })));
  const res = keep("#case-resolution");
  $("#case-resolution").replaceChildren(h("option", { value: "", text: t("filter.all") }),
    ...["open", ...RESOLUTIONS].map((r) => h("option", { value: r, selected: r === res, text: t(`producer.res.${r}`) })));
  const district = keep("#case-district");
  $("#case-district").replaceChildren(h("option", { value: "", text: t("filter.all") }),
    ...DISTRICTS.map((d) => h("option", { value: d, selected: d === district, text: label("district", d) })));
}

function query() {
  const p = new URLSearchParams();
  for (const [name, id] of [["show", "#case-show"], ["resolution", "#case-resolution"], ["assignee", "#case-assignee"],
    ["district", "#case-district"]]) {
    if ($(id).value.trim()) p.set(name, $(id).value.trim());
  }
  if ($("#case-overdue").checked) p.set("overdue", "1");
  return p;
}

async function save(ctx, c, row) {
  const get = (name) => row.querySelector(`[name=${name}]`).value.trim() || null;
  try {
    await api("PATCH", `/api/followups/${c.id}`, { version: c.version, assignee: get("assignee"), due: get("due"),
      resolution: get("resolution"), note: get("note") });
    toast(t("producer.saved"));
    await renderFollowups(ctx);
  } catch (err) {
    toast(err.status === 409 ? t("producer.case.conflict") : err.message, "error");
    if (err.status === 409) await renderFollowups(ctx);
  }
}

function caseRow(ctx, c) {
  const f = c.follow_up || {};
  const row = h("tr", { class: c.overdue ? "overdue" : f.resolution ? `res-${f.resolution}` : "", dataset: { id: c.id } },
    h("td", { class: "rid", text: `#${c.id}` }),
    h("td", { class: "show-cell", text: `${c.show_title || "—"}${c.show_starts_at ? ` · ${dateTime(c.show_starts_at)}` : ""}` }),
    h("td", { class: "q-cell" }, h("div", { class: "q-text", text: c.text }),
      h("div", { class: "chips" }, c.district ? h("span", { class: "chip", text: label("district", c.district) }) : null,
        c.topic ? h("span", { class: "chip", text: label("topic", c.topic) }) : null,
        h("span", { class: "chip", text: label("channel", c.channel) }),
        c.overdue ? h("span", { class: "badge overdue-badge", text: t("producer.case.overdue") }) : null)),
    h("td", {}, h("input", { name: "assignee", value: f.assignee || "", maxlength: 200, "aria-label": t("producer.case.assignee") })),
    h("td", {}, h("input", { name: "due", type: "date", value: f.due || "", "aria-label": t("producer.case.due") })),
    h("td", {}, h("select", { name: "resolution", "aria-label": t("producer.case.resolution") },
      h("option", { value: "", text: t("producer.res.open") }),
      ...RESOLUTIONS.map((r) => h("option", { value: r, selected: f.resolution === r, text: t(`producer.res.${r}`) })))),
    h("td", {}, h("input", { name: "note", value: f.note || "", maxlength: 2000, "aria-label": t("producer.case.note") })),
    h("td", {}, h("button", { type: "button", class: "primary save", text: t("producer.save") })));
  row.querySelector("button.save").addEventListener("click", () => save(ctx, c, row));
  return row;
}

function wire(ctx) {
  if (wired) return;
  wired = true;
  $("#case-filters").addEventListener("change", (e) => { if (e.target.id !== "include-new") renderFollowups(ctx); });
  $("#case-filters").addEventListener("submit", (e) => { e.preventDefault(); renderFollowups(ctx); });
  $("#open-cases").addEventListener("click", async () => {
    if (!ctx.show) return;
    const body = { include_new: $("#include-new").checked };
    try {
      const n = (await api("POST", `/api/shows/${ctx.show.id}/followups`, { ...body, dry_run: true })).would_open;
      if (n === 0) { toast(t("producer.case.nothing")); return; }
      if (!(await confirmOpen(n))) return;
      const r = await api("POST", `/api/shows/${ctx.show.id}/followups`, body);
      toast(t("producer.case.opened", { n: r.opened.length }));
      await renderFollowups(ctx);
    } catch (err) { toast(err.message, "error"); }
  });
}

/** Ask before opening `n` cases (the server's count); resolves true only on the confirm button. Cancel is
 * focused first, so Enter right after the click opens nothing; Esc cancels. */
function confirmOpen(n) {
  const title = t("producer.case.confirm_title");
  const cancel = h("button", { type: "button", class: "cancel", text: t("act.cancel") });
  const go = h("button", { type: "button", class: "primary confirm", text: t("producer.case.confirm_go", { n }) });
  const dialog = h("dialog", { class: "dlg confirm-cases", "aria-label": title },
    h("h2", { text: title }), h("p", { class: "confirm-count", text: t("producer.case.confirm", { n }) }),
    h("div", { class: "dlg-actions" }, cancel, go));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (value) => {
      if (!dialog.isConnected) return;
      if (dialog.open) dialog.close();
      dialog.remove();
      $("#open-cases").focus();
      resolve(value);
    };
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); close(false); });
    cancel.addEventListener("click", () => close(false));
    go.addEventListener("click", () => close(true));
    dialog.showModal();
    cancel.focus();
  });
}

/** "9 cases", or "500 of 2,066 cases" when the server cut the board at its page size. */
function caseCount(data) {
  const total = data.total ?? data.cases.length;
  return total > data.cases.length ? t("producer.case.count_of", { n: data.cases.length, total })
    : t("producer.case.count", { n: data.cases.length });
}

export async function renderFollowups(ctx) {
  wire(ctx);
  filters(ctx);
  const p = query();
  const data = await api("GET", `/api/followups?${p}`);
  $("#board tbody").replaceChildren(...data.cases.map((c) => caseRow(ctx, c)));
  $("#no-cases").hidden = data.cases.length > 0;
  const overdue = data.cases.filter((c) => c.overdue).length;
  const counts = Object.fromEntries(["open", ...RESOLUTIONS].map((r) => [r, 0]));
  for (const c of data.cases) counts[(c.follow_up || {}).resolution || "open"] += 1;
  $("#case-summary").replaceChildren(h("strong", { text: caseCount(data) }),
    ...Object.entries(counts).map(([r, n]) => h("span", { class: `sum sum-${r}`, text: `${t(`producer.res.${r}`)}: ${n}` })),
    h("span", { class: "sum sum-overdue", text: `${t("producer.case.overdue")}: ${overdue}` }));
  $("#case-exports").replaceChildren(...exportLinks("/api/followups/export", "producer.export.followups"));
  for (const a of $("#case-exports").querySelectorAll("a")) a.href += `?${p}`;
}
