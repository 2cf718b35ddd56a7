// The HTTP API: the session cookie travels by itself; every write carries the CSRF token.
// A request that finds no server fails with code "network" and a translated message (never the browser's
// "Failed to fetch"), and tells the page (`efir:offline`), which may show its banner.

import { t } from "./i18n.js";

let csrf = null;

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function setCsrf(token) {
  csrf = token;
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    document.dispatchEvent(new CustomEvent("efir:offline"));
    throw new ApiError(0, "network", t("err.network"), null);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText, data);
  }
  return data;
}

/** Who is signed in, or null; remembers the CSRF token for later writes. */
export async function me() {
  try {
    const who = await api("GET", "/api/auth/me");
    csrf = who.csrf_token;
    return who;
  } catch (err) {
    if (err.status === 401) return null;
    throw err;
  }
}

export function toLogin() {
  const next = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(next)}`);
}

export async function logout() {
  try {
    await api("POST", "/api/auth/logout");
  } finally {
    location.assign("/login");
  }
}

/** The show a page works on: ?show=ID, else the live one, else the next scheduled one. */
export async function currentShow() {
  const asked = new URLSearchParams(location.search).get("show");
  if (asked) return api("GET", `/api/shows/${encodeURIComponent(asked)}`);
  const shows = await api("GET", "/api/shows");
  const live = shows.find((s) => s.status === "live");
  if (live) return live;
  const scheduled = shows.filter((s) => s.status === "scheduled").sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  return scheduled[0] || null;
}
