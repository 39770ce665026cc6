// Signing in on the app's PIN pad, for the end-to-end tests: the demo
// shop's staff have the PINs core/src/store/demo.rs gives them.
import { ENTER } from './webdriver.mjs';

export const DEMO_PINS = { owner: '1111', manager: '2222', cashier: '3333', secondCashier: '4444' };

/** Who the top bar says is signed in ('' for nobody); read from the page, as WebKit reports an ellipsised element's text as empty. */
export function signedInName(session) {
  return session.execute("return document.querySelector('[data-testid=signed-in-name]')?.textContent ?? ''");
}

/** Types `pin` on the PIN pad and waits until the top bar names who signed in (`name`, when given). */
export async function signIn(session, pin, name) {
  await session.waitFor('[data-testid=pin-pad]', { timeoutMs: 60_000 });
  await session.keys(pin + ENTER);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const shown = await signedInName(session);
    if (name ? shown === name : shown !== '') return shown;
    if (Date.now() > deadline) throw new Error(`the top bar names ${JSON.stringify(shown)}, not ${name ?? 'anyone'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** From the welcome: loads the demo, goes past its PINs and signs in (the owner unless told). */
export async function loadDemoAndSignIn(session, pin = DEMO_PINS.owner) {
  await (await session.waitFor('[data-testid=load-demo]', { timeoutMs: 30_000 })).click();
  await (await session.waitFor('[data-testid=demo-continue]', { timeoutMs: 60_000 })).click();
  await signIn(session, pin);
  await session.waitFor('#search', { timeoutMs: 30_000 });
}
