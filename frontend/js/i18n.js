// The lab in two languages, English and Japanese. Plain ES module, no build step.
//
// Where the words live:
// - the pages' HTML is written in English; an element with data-i18n="key" (or
//   data-i18n-placeholder="key") gets the Japanese of that key from i18n/ja.js;
// - the scripts' sentences are keys of i18n/en.js, with the same keys in i18n/ja.js; scripts
//   call t("key", {name: value}) and {name} in the message is filled in.
// Adding a sentence: write the English (in the HTML with a data-i18n key, or in en.js), then the
// same key in ja.js. e2e/test_i18n.py fails and lists every key that ja.js lacks.
//
// Which language: the switch at the top of each page (EN / 日本語), remembered in localStorage;
// otherwise the first of the browser's languages (navigator.languages) that the lab speaks;
// otherwise English. Switching reloads the page, so every text (the server's too) is redone.
import en from "./i18n/en.js";
import ja from "./i18n/ja.js";

export const MESSAGES = { en, ja };
const NAMES = { en: "EN", ja: "日本語" };
const STORAGE_KEY = "lab-language";

function browserLanguage() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (base in MESSAGES) return base;
  }
  return "en";
}

function chosenLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  return Object.hasOwn(MESSAGES, saved ?? "") ? saved : browserLanguage();
}

export const language = chosenLanguage();

// t("experiments.answeredButHidden", {status: 200}) -> the sentence in the page's language.
// A key that ja.js lacks falls back to English (the test suite reports it).
export function t(key, values = {}) {
  const message = MESSAGES[language][key] ?? en[key];
  if (message === undefined) {
    console.warn(`i18n: no message for ${key}`);
    return key;
  }
  return message.replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
}

// The API answers in the language the request asks for (Django's LocaleMiddleware reads
// Accept-Language). The browser sends its own Accept-Language by itself; only when the switch
// chose another language than the browser's does the page name it. Accept-Language is a
// CORS-safelisted request header as long as its value holds only 0-9 A-Z a-z space * , - . ; =
// (https://fetch.spec.whatwg.org/#cors-safelisted-request-header): "ja" and "en" keep a simple
// request simple, with no preflight. The call shown on the page includes it (lab.js).
export const languageOverridden = language !== browserLanguage();

export function withLanguage(init = {}) {
  if (!languageOverridden) return init;
  return { ...init, headers: { "Accept-Language": language, ...init.headers } };
}

function translatePage() {
  document.documentElement.lang = language;
  const messages = MESSAGES[language];
  if (language === "en") return;  // the HTML is already English
  for (const element of document.querySelectorAll("[data-i18n]")) {
    const message = messages[element.dataset.i18n];
    // Only the lab's own committed messages go in here, never data from a server: a message may
    // hold inline tags (<code>, <em>) like the English it replaces.
    if (message !== undefined) element.innerHTML = message;
  }
  for (const element of document.querySelectorAll("[data-i18n-placeholder]")) {
    const message = messages[element.dataset.i18nPlaceholder];
    if (message !== undefined) element.placeholder = message;
  }
}

function showLanguageSwitch() {
  const box = document.createElement("div");
  box.className = "language-switch";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Language / 言語");
  for (const [code, name] of Object.entries(NAMES)) {
    const button = document.createElement("button");
    button.type = "button";
    button.lang = code;
    button.textContent = name;
    button.dataset.language = code;
    button.setAttribute("aria-pressed", String(code === language));
    button.addEventListener("click", () => {
      localStorage.setItem(STORAGE_KEY, code);
      location.reload();
    });
    box.append(button);
  }
  document.querySelector("header")?.append(box);
}

translatePage();
showLanguageSwitch();
