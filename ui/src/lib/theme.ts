// Light, dark, or the system's choice; kept in localStorage and applied as
// `data-theme` on <html> (app.css reads it).
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'regulars.theme';

export function getTheme(): Theme {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && (THEMES as readonly string[]).includes(saved)) return saved as Theme;
  } catch {
    // Storage can be unavailable; fall back to the system's choice.
  }
  return 'system';
}

export function setTheme(theme: Theme): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, theme);
  } catch {
    // Not fatal: the choice just is not remembered.
  }
  if (typeof document === 'undefined') return;
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
