// What the desk knows: every question of the show by id, the rundown, presence and claims.
// Frames from the WebSocket are applied here; pages only read it.

export class DeskState {
  constructor() {
    this.questions = new Map();
    this.lastActor = new Map(); // question id → who made its latest change (for conflict messages)
    this.claims = new Map(); // question id → username holding it
    this.presence = [];
    this.show = null;
    this.seq = null; // the last event seq seen: the resume point
    this.approved = new Set();
    this.onAirId = null;
  }

  /** A snapshot replaces everything; returns nothing to announce as "new". */
  reset(frame) {
    this.questions.clear();
    this.approved.clear();
    this.onAirId = null;
    this.show = frame.show;
    this.seq = frame.seq;
    for (const q of frame.questions) this.put(q);
    this.setPresence(frame.presence || []);
  }

  /**
   * Apply one event; returns the question id when it is a question never seen before, else null.
   * Events may repeat after a reconnect: an event at or below the resume point is ignored.
   */
  applyEvent(ev) {
    if (this.seq !== null && ev.seq <= this.seq) return null;
    this.seq = ev.seq;
    if (ev.show) this.show = ev.show;
    const q = ev.question;
    if (!q || (this.show && q.show_id !== this.show.id)) return null;
    this.lastActor.set(q.id, ev.actor);
    const known = this.questions.get(q.id);
    if (known && q.version < known.version) return null;
    this.put(q);
    return known ? null : q.id;
  }

  /** An ack's copy of a question is only newer when its version is. */
  applyAck(q) {
    const known = this.questions.get(q.id);
    if (known && q.version <= known.version) return false;
    this.put(q);
    return true;
  }

  put(q) {
    this.questions.set(q.id, q);
    if (q.status === "approved" && q.rundown_pos !== null && q.rundown_pos !== undefined) this.approved.add(q.id);
    else this.approved.delete(q.id);
    if (q.status === "on_air") this.onAirId = q.id;
    else if (this.onAirId === q.id) this.onAirId = null;
  }

  setPresence(users) {
    this.presence = users;
    this.claims.clear();
    for (const user of users) for (const id of user.claims || []) this.claims.set(id, user.user);
  }

  get(id) {
    return this.questions.get(id) || null;
  }

  /** Approved questions in air order. */
  rundown() {
    return Array.from(this.approved, (id) => this.questions.get(id))
      .filter(Boolean)
      .sort((a, b) => a.rundown_pos - b.rundown_pos || a.id - b.id);
  }

  onAir() {
    return this.onAirId === null ? null : this.questions.get(this.onAirId) || null;
  }

  counts() {
    const counts = {};
    for (const q of this.questions.values()) counts[q.status] = (counts[q.status] || 0) + 1;
    return counts;
  }
}
