// Which language the page speaks: the reader's earlier choice (localStorage 'taskpulse.lang'), else the
// browser's language (Chinese for any zh-*), else English.

import { I18n, LANGUAGES, STORAGE_KEY, languageFor } from '../entity/i18n.js';

export function initialLanguage(storage = safeStorage(), browserLanguage = navigator.language) {
  const stored = storage?.getItem(STORAGE_KEY);
  return LANGUAGES.includes(stored) ? stored : languageFor(browserLanguage);
}

export function createI18n() {
  const i18n = new I18n(initialLanguage());
  i18n.onChange((lang) => {
    try {
      safeStorage()?.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode or a full quota: the choice then lasts for this page only.
    }
  });
  return i18n;
}

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
