// Every language's strings are loaded before the tests run (the app loads
// zh-CN and en when chosen), so a test's `setLocale('en')` switches at once.
import { LOCALES, loadLocale } from '../i18n/i18n.svelte';

await Promise.all(LOCALES.map(loadLocale));
