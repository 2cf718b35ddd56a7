import { api, ApiError, me, setCsrf } from "./api.js";
import { initI18n, languageSwitch, rememberFor, runClock, t } from "./i18n.js";
import { $ } from "./dom.js";

let chosen = false; // a language clicked here becomes this user's language

/** Only a path on this site may be a `next` target. */
function safeNext() {
  const next = new URLSearchParams(location.search).get("next") || "";
  return /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) && !next.startsWith("/login") ? next : null;
}

async function submit(event) {
  event.preventDefault();
  const error = $("#error");
  error.hidden = true;
  const username = $("#username").value.trim();
  const password = $("#password").value;
  if (!username || !password) {
    $(username ? "#password" : "#username").focus();
    return;
  }
  $("#submit").disabled = true;
  try {
    const who = await api("POST", "/api/auth/login", { username, password });
    setCsrf(who.csrf_token);
    if (chosen) rememberFor(who.username);
    location.assign(safeNext() || who.home);  // each role lands on its own page (server/roles.py)
  } catch (err) {
    const key = err instanceof ApiError && err.status === 429 ? "login.rate"
      : err instanceof ApiError && err.status && err.status < 500 ? "login.failed" : "login.error";
    error.textContent = t(key);
    error.hidden = false;
    $("#password").select();
  } finally {
    $("#submit").disabled = false;
  }
}

async function main() {
  // first of all: an Enter pressed before the dictionary loads must not submit the form natively (a GET
  // that would put the password in the address)
  $("#login-form").addEventListener("submit", submit);
  await initI18n();
  languageSwitch($("#lang"), () => { chosen = true; });
  runClock($("#clock"));
  const who = await me().catch(() => null);
  if (who && !new URLSearchParams(location.search).has("stay")) location.assign(safeNext() || who.home);
}

main();
