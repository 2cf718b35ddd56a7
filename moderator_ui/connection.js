// A loud banner while the server cannot be reached, for pages that poll over HTTP (the producer's): it says
// since when the page is stale, retries every few seconds, and hands back to the page when the server answers.

import { $ } from "./dom.js";
import { clock, t } from "./i18n.js";

const RETRY_MS = 2000;

export class ServerWatch {
  /** @param {{onBack: () => void}} o what to do once the server answers again (reload what the page shows) */
  constructor({ onBack }) {
    this.onBack = onBack;
    this.since = null; // when the last request failed: what the page shows is as of then
    this.timer = 0;
    $("#reconnect").addEventListener("click", () => this.probe());
    document.addEventListener("efir:lang", () => this.paint());
    window.addEventListener("online", () => this.probe());
    document.addEventListener("efir:offline", () => this.lost());
  }

  get offline() {
    return this.since !== null;
  }

  /** A request found no server: show the banner and start retrying. */
  lost() {
    if (this.offline) return;
    this.since = new Date();
    this.paint();
    this.timer = setInterval(() => this.probe(), RETRY_MS);
  }

  paint() {
    $("#offline").hidden = !this.offline;
    if (this.offline) $("#offline-detail").textContent = t("conn.page_detail", { time: clock(this.since, true) });
  }

  async probe() {
    if (!this.offline) return;
    const ok = await fetch("/healthz", { cache: "no-store" }).then((r) => r.ok, () => false);
    if (!ok || !this.offline) return;
    clearInterval(this.timer);
    this.since = null;
    this.paint();
    this.onBack();
  }
}
