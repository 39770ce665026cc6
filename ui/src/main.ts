import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { backend } from './lib/backend';
import { getLocale, loadLocale } from './i18n/i18n.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

// The saved language's strings first (zh-TW is in this bundle; zh-CN and en
// are loaded when chosen), so the first paint is already in that language.
// Should they fail to load, the app starts with the zh-TW fallback.
loadLocale(getLocale())
  .catch((error: unknown) => console.error(`the ${getLocale()} strings did not load`, error))
  .then(() => mount(App, { target, props: { backend } }));
