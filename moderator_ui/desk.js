// The moderator desk: live queue over /ws/desk, keyboard-first triage, rundown, presence and claims.

import { api, logout, me, toLogin } from "./api.js";
import { $, h, isTyping, toast } from "./dom.js";
import { CHANNELS, DISTRICTS, FLAGS, QLANGS, STATUSES, TOPICS, initI18n, label, languageSwitch, number,
  runClock, t, translate } from "./i18n.js";
import { DeskState } from "./desk-state.js";
import { DeskSocket } from "./desk-socket.js";
import { EMPTY_FILTERS, QueueView } from "./desk-queue.js";
import { KEY_ORIGINAL, OUTCOMES, RundownView } from "./desk-rundown.js";
import { renderDetail } from "./desk-detail.js";
import { readView, writeView } from "./desk-view.js";
import { navigation } from "./nav.js";
import { KEY_DISMISS, KEY_MERGE_SUGGESTED, KEY_SPLIT, openSuggestions, splittable } from "./desk-duplicates.js";
import { conflictDialog, dialogOpen, editDialog, helpDialog, mergeDialog, rejectDialog, tagDialog } from "./desk-dialogs.js";

const state = new DeskState();
const acks = new Map(); // client action id → {frame, resolve}
const history = []; // question ids I acted on, newest last: what `u` undoes
let user = null;
let counter = 0;
let pane = "queue";
let queue;
let rundown;
let socket;
let offlineTimer = 0;
let restoring = null; // the view the URL's hash names, applied once the first snapshot is in

// -- actions ---------------------------------------------------------------------------------

const inflight = new Map(); // question id → the promise of its unanswered action

/**
 * Send one action; resolves with the question after it, or null when refused.
 * Actions on one question go one at a time, each with the version the previous one produced
 * (s then a on the same row must not conflict with itself); `pin` keeps the caller's version
 * instead (an edit made on what the moderator saw).
 */
function act(q, action, extra = {}, pin = false) {
  if (!q) return Promise.resolve(null);
  const holder = state.claims.get(q.id);
  if (holder && holder !== user.username && action !== "claim") {
    toast(t("err.claimed", { id: q.id, user: holder }), "warn");
    return Promise.resolve(null);
  }
  const before = inflight.get(q.id) || Promise.resolve();
  const result = before.then(() => send(q, action, extra, pin));
  inflight.set(q.id, result);
  result.then(() => { if (inflight.get(q.id) === result) inflight.delete(q.id); });
  return result;
}

function send(q, action, extra, pin) {
  const id = `a${++counter}`;
  const version = pin ? q.version : (state.get(q.id) || q).version;
  const frame = { type: "action", id, question_id: q.id, action, version, ...extra };
  if (!socket.send(frame)) {
    toast(t("err.offline"), "error");
    return Promise.resolve(null);
  }
  return new Promise((resolve) => acks.set(id, { frame, resolve }));
}

function onAck(frame) {
  const entry = acks.get(frame.id);
  if (!entry) return;
  acks.delete(frame.id);
  const { action, question_id: qid } = entry.frame;
  if (frame.ok) {
    if (state.applyAck(frame.question)) refresh();
    if (!["claim", "release", "undo", "queue"].includes(action)) history.push(qid);
    if (["undo", "merge", "on_air", "answered", "skip", "follow_up", "dismiss", "split"].includes(action)) {
      toast(t(`done.${action}`, { id: qid, into: entry.frame.into }));
    }
    entry.resolve(frame.question);
    return;
  }
  entry.resolve(null);
  if (frame.question && state.applyAck(frame.question)) refresh();
  failed(entry.frame, frame);
}

async function failed(sent, frame) {
  const error = frame.error || {};
  const qid = sent.question_id;
  if (error.code === "conflict" && frame.question) {
    await new Promise((r) => setTimeout(r, 150)); // the change's own event names who made it
    const changed = frame.question.id; // the question put off air by an on_air, when that one had changed
    const current = state.get(changed) || frame.question;
    const choice = await conflictDialog({ current, actor: state.lastActor.get(changed), action: sent.action,
      mine: sent.action === "edit" ? sent.text : null });
    if (choice === "retry") {
      const { type, id, question_id, version, action, ...extra } = sent;
      act(state.get(qid), action, extra);  // on the version the moderator has now seen
    }
    focusList();
  } else if (error.code === "claimed") {
    const holder = state.claims.get(qid) || (/claimed by (.+)$/.exec(error.message || "") || [])[1] || "?";
    toast(t("err.claimed", { id: qid, user: holder }), "warn");
  } else if (error.code === "invalid_transition") {
    const q = state.get(qid);
    toast(t("err.invalid_transition", { id: qid, status: label("status", q?.status) }), "warn");
  } else if (error.code === "on_air_busy") {
    toast(t("err.on_air_busy", { id: frame.question?.id ?? "?" }), "warn");
  } else if (error.code === "not_clustered") {
    toast(t("err.not_clustered", { id: qid }), "warn");
  } else if (error.code === "nothing_to_undo") {
    toast(t("err.nothing_to_undo"), "warn");
  } else if (error.code === "undo_overtaken") {  // a colleague's later change stands: say whose, and what
    const kind = `producer.kind.${error.kind}`;
    const action = t(kind) === kind ? error.kind : t(kind);
    toast(t("err.undo_overtaken", { id: qid, user: error.by, action }), "warn", 6000);
  } else if (error.code === "forbidden") {
    toast(t("err.forbidden"), "error");
  } else {
    toast(error.message || error.code || "error", "error");
  }
}

// -- frames ----------------------------------------------------------------------------------

function onFrame(frame) {
  if (frame.type === "snapshot") {
    state.reset(frame);
    queue.rebuild();
    if (restoring) restoreFocus();
    showHeader();
    refresh();
  } else if (frame.type === "events") {
    let header = false;
    for (const ev of frame.events) {
      const fresh = state.applyEvent(ev);
      if (ev.show) header = true;
      if (fresh !== null) queue.arrived(fresh);
    }
    if (header) showHeader();
    refresh();
  } else if (frame.type === "presence") {
    state.setPresence(frame.users || []);
    showPresence();
    refresh();
  } else if (frame.type === "ack") {
    onAck(frame);
  }
}

let countsAt = 0;

function refresh() {
  queue.schedule();
  rundown.schedule();
  showDetail();
  if (Date.now() - countsAt > 1000) {
    countsAt = Date.now();
    showCounts();
  } else {
    clearTimeout(refresh.timer);
    refresh.timer = setTimeout(showCounts, 1000);
  }
}

function showCounts() {
  countsAt = Date.now();
  const counts = state.counts();
  $("#counts").replaceChildren(...["new", "approved", "answered"].map((s) =>
    h("span", { class: `count st-${s}` }, label("status", s), " ", h("b", { text: number(counts[s] || 0) }))));
  showShown();
}

function showShown() {
  $("#shown").textContent = t("queue.count", { n: number(queue.entries.length) });
}

function showDetail() {
  const q = pane === "rundown" ? rundown.focusedQuestion() : queue.focused();
  renderDetail($("#detail"), q, { state, me: user.username, onKey: (key) => command(key, q), act });
}

function showHeader() {
  const show = state.show;
  if (!show) return;
  $("#show-title").textContent = show.title;
  const pill = $("#show-status");
  pill.hidden = false;
  pill.className = `pill ${show.status === "live" ? "bad live" : "warn"}`;
  pill.textContent = label("show", show.status);
  document.title = `${show.title} — Efir`;
  navigation($("#nav"), user, "/desk", show.id);
}

function showPresence() {
  $("#presence").replaceChildren(...state.presence.map((p) => h("span", {
    class: p.user === user.username ? "who-chip me" : "who-chip", dataset: { user: p.user },
    title: `${p.user} · ${label("role", p.role)}`,
  }, h("span", { class: "avatar", text: p.user.slice(0, 1).toUpperCase() }), p.user,
  p.claims?.length ? h("span", { class: "claims", text: p.claims.map((id) => `#${id}`).join(" ") }) : null)));
}

/**
 * The connection in the top bar's pill and, once it is lost, in a banner across the desk that stays until the
 * desk is live again: a moderator must never triage into a dead socket without knowing.
 */
function connState(name, info = connState.info || {}) {
  connState.info = info;
  const pill = $("#conn");
  const banner = $("#offline");
  clearInterval(offlineTimer);
  const wasLost = !banner.hidden;
  pill.dataset.state = name;
  if (name === "live") {
    pill.className = "pill ok";
    pill.textContent = t("conn.live");
    banner.hidden = true;
    if (wasLost) toast(t("conn.back"));
  } else if (name === "connecting") {
    pill.className = "pill warn";
    pill.textContent = t("conn.connecting");
    $("#offline-detail").textContent = t("conn.connecting");
  } else {
    pill.className = "pill bad";
    banner.hidden = false;
    const paint = () => {
      const s = Math.max(0, Math.ceil((info.until - Date.now()) / 1000));
      pill.textContent = t("conn.offline", { s });
      $("#offline-detail").textContent = t("conn.desk_detail", { s });
    };
    paint();
    offlineTimer = setInterval(paint, 500);
    for (const [id, entry] of acks) { // unanswered actions died with the connection
      acks.delete(id);
      entry.resolve(null);
    }
  }
}

// -- keyboard --------------------------------------------------------------------------------

/** The keyboard back on the current pane's list (after a dialog, a click, Esc). */
function focusList() {
  (pane === "rundown" ? $("#rundown") : $("#queue-scroll")).focus({ preventScroll: true });
}

function current() {
  return pane === "rundown" ? rundown.focusedQuestion() : queue.focused();
}

function setPane(name) {
  pane = name;
  rundown.setActive(name === "rundown");
  $("#queue-pane").classList.toggle("active", name === "queue");
  $("#rundown-pane").classList.toggle("active", name === "rundown");
  showDetail();
  saveView();
}

function moveFocus(delta) {
  if (pane === "rundown") rundown.move(delta);
  else queue.move(delta);
  showDetail();
  saveView();
}

/** The filters, the pane and the focused question into the URL's hash: a reload comes back to them. */
function saveView() {
  if (queue && rundown && !restoring) writeView({ filters: queue.filters, pane, focus: current()?.id ?? null });
}

function restoreFocus() {
  const { pane: saved, focus } = restoring;
  restoring = null;
  if (focus !== null && saved === "rundown") rundown.cursor = focus;
  else if (focus !== null) queue.focus(focus);
  setPane(saved);
  focusList();
}

/** One keystroke's command on question `q` (the focused one unless given). */
async function command(key, q = current()) {
  switch (key) {
    case "j": return moveFocus(1);
    case "k": return moveFocus(-1);
    case "J": return rundown.moveItem(1);
    case "K": return rundown.moveItem(-1);
    case KEY_TO_TOP: return toTop(q);
    case "ArrowLeft":
    case "ArrowRight":
      setPane(key === "ArrowLeft" ? "queue" : "rundown");
      return focusList();
    case "n": return queue.showNew();
    case "x": return queue.toggleCluster();
    case "/": {  // a new search replaces the old one: its text is selected, typing overwrites it
      const search = $("#search");
      search.focus();
      return search.select();
    }
    case "?": return helpDialog().then(focusList);
    case "d":
    case "b":
    case "f": return endOnAir(OUTCOMES.find(([, k]) => k === key)[0]);
    case KEY_ORIGINAL: return rundown.toggleOriginal();
    case "u": {
      const id = history.pop() ?? q?.id;
      return id === undefined ? toast(t("err.nothing_to_undo"), "warn") : act(state.get(id), "undo");
    }
  }
  if (!q) return;
  switch (key) {
    case "a":
      if (pane === "queue") queue.move(1);
      return act(q, "approve");
    case KEY_PLAY_NEXT: return playNext(q);
    case "s": return act(q, "star");
    case "o": return putOnAir(q);
    case "c": return act(q, state.claims.get(q.id) === user.username ? "release" : "claim");
    case "r": {
      if (blocked(q)) return;
      const reason = await rejectDialog(q);
      focusList();
      if (reason) {  // the version the moderator decided on: a colleague's change meanwhile is a conflict
        if (pane === "queue" && queue.focusId === q.id) queue.move(1);
        act({ ...state.get(q.id), version: q.version }, "reject", { reason }, true);
      }
      return;
    }
    case "e": {
      if (blocked(q)) return;
      const edit = await editDialog(q);
      focusList();
      if (edit) act({ ...state.get(q.id), version: edit.version }, "edit", { text: edit.text }, true);
      return;
    }
    case KEY_MERGE_SUGGESTED:
    case KEY_DISMISS: {
      const [first] = openSuggestions(q, state);
      if (!first) return toast(t("err.no_suggestion", { id: q.id }), "warn");
      return act(q, key === KEY_DISMISS ? "dismiss" : "merge", { into: first.id });
    }
    case KEY_SPLIT:
      if (!splittable(q)) return toast(t("err.not_clustered", { id: q.id }), "warn");
      return act(q, "split");
    case "m": {
      if (blocked(q)) return;
      const into = await mergeDialog(q, state);
      focusList();
      if (into) act({ ...state.get(q.id), version: q.version }, "merge", { into }, true);
      return;
    }
    case "t": {
      if (blocked(q)) return;
      const tags = await tagDialog(q, state.show?.guests || []);
      focusList();
      if (tags) act({ ...state.get(q.id), version: tags.version }, "tag", tags.fields, true);
      return;
    }
  }
}

/** How the question on air ended: answered, skipped back to the rundown's top, or to follow-up. */
function endOnAir(action) {
  const q = state.onAir();
  if (!q) return toast(t("rundown.nothing_on_air"), "warn");
  return act(q, action);
}

/** On air — only when nothing is: the question on air first ends with an outcome the moderator chose. */
function putOnAir(q) {
  const current = state.onAir();
  if (current && current.id !== q.id) return toast(t("err.on_air_busy", { id: current.id }), "warn");
  return act(q, "on_air");
}

/** Shift+A: approved straight to the top of the rundown, to go on air after the current question. */
async function playNext(q) {
  if (blocked(q)) return;
  if (q.status === "new") {
    if (pane === "queue") queue.move(1);
    const approved = await act(q, "approve");
    if (approved) await act(approved, "queue", { position: 0 });
    return;
  }
  return toTop(q);
}

/** Shift+T: an approved question moves to the top of the rundown (a new one is approved first: Shift+A). */
function toTop(q) {
  if (!q) return;
  if (q.status !== "approved") return toast(t("err.not_in_rundown", { id: q.id }), "warn");
  if (state.rundown()[0]?.id === q.id) return;
  return act(q, "queue", { position: 0 });
}

/** A question someone else holds is not actionable until released. */
function blocked(q) {
  const holder = state.claims.get(q.id);
  if (holder && holder !== user.username) {
    toast(t("err.claimed", { id: q.id, user: holder }), "warn");
    return true;
  }
  return false;
}

const KEY_PLAY_NEXT = "A";
const KEY_TO_TOP = "T";
const KEYS = new Set(["j", "k", "J", "K", "a", "r", "e", "m", "t", "s", "u", "c", "x", "n", "o", "/", "?",
  "ArrowLeft", "ArrowRight", ...OUTCOMES.map(([, key]) => key), KEY_ORIGINAL, KEY_MERGE_SUGGESTED, KEY_DISMISS,
  KEY_SPLIT, KEY_PLAY_NEXT, KEY_TO_TOP]);

/** Enter and Space press the focused button or link (never a desk key); Tab is the browser's. */
function pressesControl(event) {
  const el = event.target;
  return (event.key === "Enter" || event.key === " ") && el instanceof Element && !!el.closest("button, a[href], summary");
}

function onKey(event) {
  if (dialogOpen() || event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(event)) {
    if (event.key === "Escape" || (event.key === "Enter" && event.target.id === "search")) {
      event.preventDefault();
      event.target.blur();
      focusList();
    }
    return;
  }
  if (pressesControl(event)) return;
  let key = event.key;
  if (key === "ArrowDown") key = "j";
  else if (key === "ArrowUp") key = "k";
  else if (key === "Enter" && event.target.id === "queue-scroll") key = "x";
  if (key === "Escape") {
    setPane("queue");
    focusList();
    return;
  }
  if (!KEYS.has(key)) return;
  event.preventDefault();
  command(key);
}

// -- filters ---------------------------------------------------------------------------------

function fillFilters() {
  const fill = (id, kind, slugs, allLabel = t("filter.all")) => {
    const el = $(id);
    const value = el.value || queue.filters[el.name] || "";
    el.replaceChildren(h("option", { value: "", text: allLabel }), ...slugs.map((s) => h("option", { value: s, text: label(kind, s) })));
    el.value = value;
  };
  fill("#f-status", "status", STATUSES);
  fill("#f-channel", "channel", CHANNELS);
  fill("#f-topic", "topic", TOPICS);
  fill("#f-district", "district", DISTRICTS);
  fill("#f-lang", "qlang", QLANGS);
  fill("#f-flag", "flag", [...FLAGS, "starred"]);
}

function readFilters() {
  const form = $("#filters");
  return Object.fromEntries(["status", "channel", "topic", "district", "lang", "flag", "q"].map((n) => [n, form.elements[n].value]));
}

function wireFilters() {
  const form = $("#filters");
  const apply = () => {
    queue.setFilters(readFilters());
    saveView();
  };
  form.addEventListener("change", apply);
  let timer = 0;
  $("#search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    for (const [name, value] of Object.entries(EMPTY_FILTERS)) form.elements[name].value = value;
    queue.setFilters({ ...EMPTY_FILTERS });
    saveView();
    focusList();
  });
}

// -- start -----------------------------------------------------------------------------------

async function main() {
  user = await me().catch(() => null);
  if (!user) return toLogin();
  await initI18n(user.username);
  $("#who").textContent = `${user.username} · ${label("role", user.role)}`;
  navigation($("#nav"), user, "/desk", new URLSearchParams(location.search).get("show"));
  languageSwitch($("#lang"), () => { fillFilters(); refresh(); showHeader(); connState($("#conn").dataset.state); });
  runClock($("#clock"));
  $("#logout").addEventListener("click", logout);
  $("#help-btn").addEventListener("click", () => helpDialog().then(focusList));

  queue = new QueueView({
    state, scroller: $("#queue-scroll"), spacer: $("#queue-spacer"), newBar: $("#new-bar"),
    me: () => user.username,
    onFocus: () => { showDetail(); saveView(); },
    onView: () => showShown(),
    onPick: (id) => { setPane("queue"); queue.focus(id, { scroll: false }); focusList(); },
  });
  rundown = new RundownView({
    state, onAirBox: $("#onair"), list: $("#rundown"), guestSelect: $("#guest"), act, putOnAir,
    reorder: async (order) => {
      try {
        await api("PUT", `/api/shows/${state.show.id}/rundown`, { order });
      } catch (err) {
        toast(err.message, "error");
      }
    },
  });
  $("#guest-first").addEventListener("click", () => rundown.guestFirst());
  $("#new-bar").addEventListener("click", () => { queue.showNew(); focusList(); });
  $("#rundown-pane").addEventListener("click", () => setPane("rundown"));
  $("#queue-pane").addEventListener("click", () => setPane("queue"));
  // a list reached by Tab (or a click) takes the desk's keys: j/k move in it, o puts its question on air
  $("#queue-scroll").addEventListener("focus", () => { if (pane !== "queue") setPane("queue"); });
  $("#rundown").addEventListener("focus", () => { if (pane !== "rundown") setPane("rundown"); });
  restoring = readView();
  queue.filters = { ...restoring.filters };
  fillFilters();
  for (const [name, value] of Object.entries(restoring.filters)) $("#filters").elements[name].value = value;
  wireFilters();
  document.addEventListener("keydown", onKey);
  setPane("queue");

  const asked = new URLSearchParams(location.search).get("show");
  socket = new DeskSocket({
    position: () => ({ show: state.show?.id ?? asked, after: state.seq }),
    onFrame, onState: connState,
    onRefused: async () => {
      const who = await me().catch(() => undefined);
      if (who === null) toLogin();
      else if (!state.show) $("#show-title").textContent = t("desk.no_show");
    },
  });
  $("#reconnect").addEventListener("click", () => socket.reconnectNow());
  socket.connect();
  focusList();
  translate(document);
  // for tests and the curious: the desk's live state
  window.efirDesk = { state, queue, rundown, socket };
}

main();
