// Interface language (kk / ru / en), remembered per user, and Asia/Almaty times.

export const LANGS = ["kk", "ru", "en"];
export const TZ = "Asia/Almaty";
const LOCALES = { kk: "kk-KZ", ru: "ru-RU", en: "en-GB" };
const SHORT = { kk: "ҚАЗ", ru: "РУС", en: "ENG" };

export const TOPICS = ["roads", "water", "heating", "gas", "electricity", "public_transport", "housing",
  "yards_landscaping", "schools_kindergartens", "health", "land_plots", "ecology", "social_payments", "safety",
  "other"];
export const DISTRICTS = ["alatau", "almaly", "auezov", "bostandyk", "zhetysu", "medeu", "nauryzbay", "turksib"];
export const CHANNELS = ["whatsapp", "telegram", "youtube", "facebook", "instagram", "email", "sms", "phone", "web"];
export const STATUSES = ["new", "approved", "on_air", "answered", "rejected", "merged", "follow_up"];
export const QLANGS = ["kk", "ru", "en", "mixed", "unknown"];
export const FLAGS = ["pii", "profanity", "spam", "flood", "garbled", "link"];
export const REASONS = ["spam", "offensive", "off_topic", "duplicate", "other"];

const cache = {};
let current = "ru";
let dict = {};
let english = {};
let user = null;

async function load(lang) {
  if (!cache[lang]) {
    const response = await fetch(`/ui/i18n/${lang}.json`);
    cache[lang] = response.ok ? await response.json() : {};
  }
  return cache[lang];
}

function remembered(username) {
  const params = new URLSearchParams(location.search);
  const asked = params.get("lang");
  if (LANGS.includes(asked)) return asked;
  const own = username && localStorage.getItem(`efir.lang.${username}`);
  if (LANGS.includes(own)) return own;
  const last = localStorage.getItem("efir.lang");
  if (LANGS.includes(last)) return last;
  const browser = (navigator.language || "").slice(0, 2);
  return LANGS.includes(browser) ? browser : "ru";
}

/** Load the dictionary for this page; `username` picks that user's remembered language. */
export async function initI18n(username = null) {
  user = username;
  await use(remembered(username));
}

async function use(lang) {
  [dict, english] = await Promise.all([load(lang), load("en")]);
  current = lang;
  document.documentElement.lang = lang;
  translate(document);
  document.dispatchEvent(new CustomEvent("efir:lang", { detail: lang }));
}

/** Switch language and remember it for this browser and for the signed-in user. */
export async function setLang(lang, username = user) {
  if (!LANGS.includes(lang)) return;
  localStorage.setItem("efir.lang", lang);
  if (username) localStorage.setItem(`efir.lang.${username}`, lang);
  await use(lang);
}

export function rememberFor(username) {
  user = username;
  localStorage.setItem(`efir.lang.${username}`, current);
}

export function lang() {
  return current;
}

export function t(key, vars = {}) {
  const template = dict[key] ?? english[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** `key`'s text, or — when no language has it — `fallback` (never the raw key on screen). */
export function tOr(key, fallback, vars = {}) {
  return (dict[key] ?? english[key]) === undefined ? fallback : t(key, vars);
}

/** A slug a person can read when nothing translates it: "token_created" → "token created". */
export function readable(slug) {
  return String(slug).replace(/[._]+/g, " ").trim();
}

/** A slug's label: label("topic", "roads") → "Жолдар". Unknown slugs show as they are. */
export function label(kind, slug) {
  if (slug === null || slug === undefined || slug === "") return "";
  const key = `${kind}.${slug}`;
  return dict[key] ?? english[key] ?? String(slug);
}

/** Fill every element marked data-i18n / data-i18n-placeholder / -title / -aria under `root`. */
export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
}

const formats = new Map();

function format(options) {
  const key = current + JSON.stringify(options);
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(LOCALES[current], { timeZone: TZ, ...options }));
  return formats.get(key);
}

/** "20:14" in Almaty time. */
export function clock(value, seconds = false) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return format({ hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}), hourCycle: "h23" })
    .format(date);
}

/** "22 Nov, 20:14" in Almaty time. */
export function dateTime(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return format({ day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
}

export function number(n) {
  return new Intl.NumberFormat(LOCALES[current]).format(n);
}

/** Three buttons ҚАЗ / РУС / ENG; the pressed one is the current language. */
export function languageSwitch(container, onChange) {
  container.replaceChildren();
  container.setAttribute("role", "group");
  container.setAttribute("aria-label", t("lang.label"));
  for (const code of LANGS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lang-btn";
    button.dataset.lang = code;
    button.textContent = SHORT[code];
    button.title = label("lang", code);
    button.setAttribute("aria-pressed", String(code === current));
    button.addEventListener("click", async () => {
      await setLang(code);
      for (const b of container.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.lang === code));
      container.setAttribute("aria-label", t("lang.label"));
      if (onChange) onChange(code);
    });
    container.append(button);
  }
}

/** A live Almaty clock in `el`. */
export function runClock(el, seconds = false) {
  const tick = () => { el.textContent = clock(new Date(), seconds); };
  tick();
  return setInterval(tick, 1000);
}
