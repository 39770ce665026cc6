// A small W3C WebDriver client over fetch: just what the end-to-end tests
// need, so no browser or driver downloads are involved.

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** WebDriver's code for the Enter key. */
export const ENTER = '\uE007';
export const ARROW_DOWN = '\uE015';
export const ESCAPE = '\uE00C';
export const F2 = '\uE032';
export const F7 = '\uE037';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} -> ${status}: ${value?.error ?? ''} ${value?.message ?? JSON.stringify(value)}`);
    this.value = value;
  }
}

async function request(baseUrl, method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) throw new WebDriverError(method, path, response.status, json.value);
  return json.value;
}

export class Session {
  /** A session with the driver at `baseUrl`; `open` starts it (and the app), `delete` ends it. */
  constructor(baseUrl, id = null) {
    this.baseUrl = baseUrl;
    this.id = id;
  }

  static async create(baseUrl, capabilities) {
    const session = new Session(baseUrl);
    await session.open(capabilities);
    return session;
  }

  /** Starts the session (the driver starts the app); the same object can be opened again after `delete`. */
  async open(capabilities) {
    const value = await request(this.baseUrl, 'POST', '/session', { capabilities });
    this.id = value.sessionId;
  }

  call(method, path, body) {
    return request(this.baseUrl, method, `/session/${this.id}${path}`, body);
  }

  async delete() {
    const id = this.id;
    this.id = null;
    await request(this.baseUrl, 'DELETE', `/session/${id}`);
  }

  /** All elements matching a CSS selector (possibly none). */
  async findAll(css) {
    const found = await this.call('POST', '/elements', { using: 'css selector', value: css });
    return found.map((element) => new Element(this, element[ELEMENT_KEY]));
  }

  /** Waits until at least one element matches `css`, and returns the first. */
  async waitFor(css, { timeoutMs = 15000 } = {}) {
    const [element] = await this.waitForAll(css, { timeoutMs });
    return element;
  }

  /** Waits until `count(elements)` is true for the elements matching `css`. */
  async waitForAll(css, { timeoutMs = 15000, count = (n) => n > 0 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const elements = await this.findAll(css);
      if (count(elements.length)) return elements;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${css} (found ${elements.length})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async activeElement() {
    const value = await this.call('GET', '/element/active');
    return new Element(this, value[ELEMENT_KEY]);
  }

  execute(script, args = []) {
    return this.call('POST', '/execute/sync', { script, args });
  }

  /** Waits for two animation frames, so a screenshot shows the latest paint. */
  settle() {
    return this.call('POST', '/execute/async', {
      script:
        'const done = arguments[arguments.length - 1];' +
        'requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 200)));',
      args: [],
    });
  }

  /** Types keys into whatever has the focus (W3C actions), e.g. a shortcut. */
  async keys(text) {
    const actions = [];
    for (const key of text) actions.push({ type: 'keyDown', value: key }, { type: 'keyUp', value: key });
    await this.call('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.call('DELETE', '/actions');
  }

  /** Waits until the text of the first element matching `css` matches `pattern`; returns the text. */
  async waitForText(css, pattern, { timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const [element] = await this.findAll(css);
      if (element) {
        try {
          last = await element.text();
          if (pattern.test(last)) return last;
        } catch {
          // The element went away between find and read; look again.
        }
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${css} to match ${pattern} (last: ${last})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  title() {
    return this.call('GET', '/title');
  }

  /**
   * A PNG of the window, as a Buffer. The app paints without accelerated
   * compositing (src-tauri/src/webkit.rs), and then WebKit answers a
   * screenshot after the page's next paint, which a page at rest never
   * makes: until the answer is back, the page repaints an invisible outline
   * every 50 ms.
   */
  async screenshot() {
    await this.execute(
      'const root = document.documentElement;' +
        "window.__e2eRepaint ??= setInterval(() => { root.style.outline = root.style.outline ? '' : '1px solid transparent'; }, 50);",
    );
    try {
      return Buffer.from(await this.call('GET', '/screenshot'), 'base64');
    } finally {
      await this.execute(
        "clearInterval(window.__e2eRepaint); window.__e2eRepaint = undefined; document.documentElement.style.outline = '';",
      ).catch(() => {});
    }
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  call(method, path, body) {
    return this.session.call(method, `/element/${this.id}${path}`, body);
  }

  text() {
    return this.call('GET', '/text');
  }

  attribute(name) {
    return this.call('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  property(name) {
    return this.call('GET', `/property/${encodeURIComponent(name)}`);
  }

  click() {
    return this.call('POST', '/click', {});
  }

  clear() {
    return this.call('POST', '/clear', {});
  }

  type(text) {
    return this.call('POST', '/value', { text });
  }

  async find(css) {
    const value = await this.call('POST', '/element', { using: 'css selector', value: css });
    return new Element(this.session, value[ELEMENT_KEY]);
  }

  async findAll(css) {
    const found = await this.call('POST', '/elements', { using: 'css selector', value: css });
    return found.map((element) => new Element(this.session, element[ELEMENT_KEY]));
  }
}
