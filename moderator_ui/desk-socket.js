// The desk's WebSocket: connect, resume with `after=<last seq>`, back off and retry, keep alive.

const SILENCE_MS = 45_000; // the server pings every 20 s; this much silence means a dead link
const PING_MS = 15_000;
const MAX_DELAY_MS = 3000; // a desk offline on air is loud and comes back fast: retries never wait longer

export class DeskSocket {
  /**
   * @param {object} o
   * @param {() => {show: number|null, after: number|null}} o.position where to resume
   * @param {(frame: object) => void} o.onFrame
   * @param {(state: string, info?: object) => void} o.onState "connecting" | "live" | "offline"
   * @param {() => void} o.onRefused the server refused the upgrade without ever opening
   */
  constructor({ position, onFrame, onState, onRefused }) {
    Object.assign(this, { position, onFrame, onState, onRefused });
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.lastFrame = 0;
    this.urls = []; // every URL connected to, for the record
    setInterval(() => this.keepAlive(), PING_MS);
    window.addEventListener("online", () => this.reconnectNow());
  }

  url() {
    const { show, after } = this.position();
    const params = new URLSearchParams();
    if (show !== null && show !== undefined) params.set("show", String(show));
    if (after !== null && after !== undefined) params.set("after", String(after));
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}/ws/desk?${params}`;
  }

  connect() {
    clearTimeout(this.timer);
    const url = this.url();
    this.urls.push(url);
    this.onState("connecting");
    const ws = new WebSocket(url);
    let opened = false;
    this.ws = ws;
    ws.addEventListener("open", () => {
      opened = true;
      this.attempt = 0;
      this.lastFrame = Date.now();
      this.onState("live");
    });
    ws.addEventListener("message", (event) => {
      this.lastFrame = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === "ping" || frame.type === "pong") return;
      this.onFrame(frame);
    });
    ws.addEventListener("close", () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!opened) this.onRefused();
      this.retry();
    });
  }

  retry() {
    const delay = Math.min(MAX_DELAY_MS, 250 * 2 ** this.attempt) + Math.floor(Math.random() * 250);
    this.attempt += 1;
    const until = Date.now() + delay;
    this.onState("offline", { until });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Waiting to retry: try at once (the moderator's button, the network back). */
  reconnectNow() {
    if (this.ws) return;
    this.attempt = 0;
    this.connect();
  }

  /** Drop the connection now (it reconnects by itself). */
  drop() {
    if (this.ws) this.ws.close();
  }

  keepAlive() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastFrame > SILENCE_MS) {
      ws.close();
      return;
    }
    ws.send('{"type":"ping"}');
  }

  get open() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }
}
