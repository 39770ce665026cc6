// Starts what the real app needs under test: an X display (Xvfb, when
// DISPLAY is unset), tauri-driver (which starts WebKitWebDriver, which
// starts the app), and a fresh database path passed as REGULARS_DB.
// Everything started here is stopped by `stop()`, also after failures.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
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
    const env = { ...process.env, REGULARS_DB: this.dbPath };
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
