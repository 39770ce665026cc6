// Starts what the real app needs under test: an X display (Xvfb, when
// DISPLAY is unset), tauri-driver (which starts WebKitWebDriver, which
// starts the app), a fresh database path passed as REGULARS_DB, and the
// app's clock started at a fixed instant (REGULARS_CLOCK_START).
// Everything started here is stopped by `stop()`, also after failures.
// `appUnderTest()` does all of it for a test file's `describe`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Session } from './webdriver.mjs';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Where a failing step's screenshot goes. */
export const FAILURE_DIR = join(REPO_ROOT, 'test-output', 'e2e');

/**
 * The instant the app's clock starts at under test (src-tauri/src/clock.rs):
 * a Tuesday, 10:30 in the morning in Taipei, the demo shop's time zone. The
 * demo shop's history is written backwards from it, so every count, balance
 * and "days since" the tests read is the same at whatever hour they run;
 * the app's time then runs on with the real seconds (the PIN pad's lock).
 */
export const CLOCK_START = '2026-12-01T10:30:00+08:00';
/** The shop's day at CLOCK_START, as the day close names it. */
export const SHOP_TODAY = '2026-12-01';
export const APP_BINARY = resolve(
  process.env.REGULARS_APP_BINARY ?? join(process.env.CARGO_TARGET_DIR || join(REPO_ROOT, 'target'), 'debug', 'regulars-desktop'),
);
const DRIVER_PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
// WebKitWebDriver's own port; two runs at once need different ones of each.
const NATIVE_PORT = Number(process.env.TAURI_NATIVE_PORT ?? DRIVER_PORT + 1);

function findOnPath(name) {
  const candidates = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
  candidates.push(join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', name));
  return candidates.find((path) => existsSync(path));
}

function isPortOpen(port) {
  return new Promise((resolvePromise) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolvePromise(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolvePromise(false);
    });
  });
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePromise, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolvePromise();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Starts Xvfb on a free display number (Xvfb picks it and reports it on fd 3). */
function startXvfb(timeoutMs) {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise((resolvePromise, reject) => {
    let received = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report a display')), timeoutMs);
    xvfb.stdio[3].on('data', (chunk) => {
      received += chunk;
      const match = received.match(/^(\d+)\n/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(`:${match[1]}`);
      }
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}`));
    });
  });
  return { xvfb, ready };
}

async function stopProcess(child, name) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`# ${name} ignored SIGTERM; killing it`);
    child.kill('SIGKILL');
  }, 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Removes a temp folder the app's web process may still be writing to as it
 * exits (its shader cache): a few tries, then a note instead of a failure.
 */
async function removeSoon(dir) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if (attempt >= 10) {
        console.error(`# left ${dir} behind: ${error.message}`);
        return;
      }
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 300));
    }
  }
}

export class Harness {
  constructor() {
    this.children = [];
    this.tempDir = mkdtempSync(join(tmpdir(), 'regulars-e2e-'));
    this.dbPath = join(this.tempDir, 'regulars.db');
    this.driverUrl = `http://127.0.0.1:${DRIVER_PORT}`;
  }

  async start() {
    if (!existsSync(APP_BINARY)) {
      throw new Error(`app binary missing: ${APP_BINARY} (build it with: npx tauri build --debug --no-bundle)`);
    }
    const env = { ...process.env, REGULARS_DB: this.dbPath, REGULARS_CLOCK_START: CLOCK_START };
    // The till's computer keeps the shop's time zone (the demo shop's is
    // Taipei's): the PIN pad says until when it is locked on that clock.
    env.TZ = 'Asia/Taipei';
    // Keep the app's web storage (e.g. the chosen language) out of the user's home.
    env.XDG_DATA_HOME = join(this.tempDir, 'xdg-data');
    env.XDG_CONFIG_HOME = join(this.tempDir, 'xdg-config');
    env.XDG_CACHE_HOME = join(this.tempDir, 'xdg-cache');
    // The documents folder (receipt PDFs, list exports) is in the temp dir too.
    this.documentsDir = join(this.tempDir, 'Documents');
    mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });
    writeFileSync(join(env.XDG_CONFIG_HOME, 'user-dirs.dirs'), `XDG_DOCUMENTS_DIR="${this.documentsDir}"\n`);
    if (!env.DISPLAY) {
      const { xvfb, ready } = startXvfb(10000);
      this.track(xvfb, 'Xvfb');
      env.DISPLAY = await ready;
    }
    for (const [port, name] of [
      [DRIVER_PORT, 'TAURI_DRIVER_PORT'],
      [NATIVE_PORT, 'TAURI_NATIVE_PORT'],
    ]) {
      if (await isPortOpen(port)) throw new Error(`port ${port} is taken (a leftover driver?); set ${name}`);
    }
    const driver = findOnPath('tauri-driver');
    if (!driver) throw new Error('tauri-driver not found (cargo install tauri-driver --locked)');
    const tauriDriver = spawn(driver, ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_PORT)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.track(tauriDriver, 'tauri-driver');
    await waitForPort(DRIVER_PORT, 15000);
    this.env = env;
  }

  track(child, name) {
    child.stderr?.on('data', (chunk) => {
      if (process.env.E2E_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
    });
    child.stdout?.on('data', (chunk) => {
      if (process.env.E2E_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
    });
    child.once('error', (error) => console.error(`# ${name} failed to start: ${error.message}`));
    this.children.push({ child, name });
  }

  capabilities() {
    return { alwaysMatch: { 'tauri:options': { application: APP_BINARY } } };
  }

  async stop() {
    for (const { child, name } of this.children.reverse()) {
      await stopProcess(child, name);
    }
    this.children = [];
    if (!process.env.E2E_KEEP_TEMP) await removeSoon(this.tempDir);
  }
}

/** Saves a PNG of the window as `dir/name` (after the latest paint); returns its path. */
export async function saveScreenshot(session, dir, name) {
  mkdirSync(dir, { recursive: true });
  await session.settle();
  const path = join(dir, name);
  writeFileSync(path, await session.screenshot());
  return path;
}

/**
 * The app under test for one test file's `describe`: before its tests the
 * harness starts and a WebDriver session opens the app (its window resized
 * to `windowSize`, e.g. `{ width: 1024, height: 700 }`, when given); after
 * them both are stopped, also after failures. `step(name, body)` runs a
 * test's body and, when it fails, saves a screenshot as
 * `test-output/e2e/{failurePrefix}{name}.png`. `restart()` starts the app
 * again on the same database (a new session; the clock starts again at
 * CLOCK_START). `session` is the same object throughout.
 */
export function appUnderTest({ failurePrefix = '', windowSize } = {}) {
  const harness = new Harness();
  const session = new Session(harness.driverUrl);

  async function open() {
    await session.open(harness.capabilities());
    if (windowSize) await session.call('POST', '/window/rect', { x: 0, y: 0, ...windowSize });
  }

  before(async () => {
    await harness.start();
    await open();
  });

  after(async () => {
    try {
      if (session.id) await session.delete();
    } catch (error) {
      console.error(`# could not close the WebDriver session: ${error.message}`);
    } finally {
      await harness.stop();
    }
  });

  async function step(name, body) {
    try {
      await body();
    } catch (error) {
      if (session.id) {
        const shot = await saveScreenshot(session, FAILURE_DIR, `${failurePrefix}${name}.png`).catch(() => null);
        if (shot) console.error(`# failure screenshot: ${shot}`);
      }
      throw error;
    }
  }

  async function restart() {
    await session.delete();
    await open();
  }

  return { harness, session, step, restart };
}
