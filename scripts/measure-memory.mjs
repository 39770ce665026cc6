// The app's proportional memory against a bare Tauri window (run by
// scripts/measure-memory.sh, which builds both and sets MEASURE_APP,
// MEASURE_BARE and MEASURE_CLI). Each program starts under Xvfb through
// tauri-driver, as tests/e2e does; its memory is the sum of Pss over the
// program and every process it started (WebKit's web and network
// processes), read from /proc/PID/smaps_rollup.
//
// The bare window: read after 8 s idle. The app, on the demo shop's
// database: after 8 s idle on the search box, then after 43 lookups typed
// into it (a member's last four digits, the list shown, then cleared) and
// 8 s more. Prints a Markdown table of medians over MEASURE_RUNS runs.
// MEASURE_QUIET_S=N waits up to N s before each program for other WebKit
// apps on the machine (other test runs) to end; each run line says how many
// other web processes ran while it was read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { Harness } from '../tests/e2e/harness.mjs';
import { ESCAPE, Session } from '../tests/e2e/webdriver.mjs';
import { DEMO_PINS, signIn } from '../tests/e2e/staff.mjs';

const APP = process.env.MEASURE_APP;
const BARE = process.env.MEASURE_BARE;
const CLI = process.env.MEASURE_CLI;
const RUNS = Number(process.env.MEASURE_RUNS ?? 3);
const IDLE_MS = Number(process.env.MEASURE_IDLE_MS ?? 8000);
const LOOKUPS = Number(process.env.MEASURE_LOOKUPS ?? 43);
const LIMIT = 1.3;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every process: pid → { ppid, comm }. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      table.set(Number(entry), { ppid, comm });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

function descendants(table, root) {
  const found = [root];
  for (let i = 0; i < found.length; i += 1) {
    for (const [pid, { ppid }] of table) if (ppid === found[i]) found.push(pid);
  }
  return found;
}

function exeOf(pid) {
  try {
    return realpathSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

/**
 * Pss in KiB of one process, in all and of its anonymous and file pages, and
 * its Rss (0 if it is gone). Pss shares a page among every process that maps
 * it, so another WebKit app running on the machine at the same time (another
 * test run) lowers the file pages' Pss; Rss does not move with that.
 */
function pssKiB(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(rollup.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { kib: field('Pss'), anon: field('Pss_Anon'), file: field('Pss_File'), rss: field('Rss') };
  } catch {
    return { kib: 0, anon: 0, file: 0, rss: 0 };
  }
}

/** The program's process (started by WebKitWebDriver, below tauri-driver) and its descendants' Pss. */
function measure(harness, binary) {
  const table = processTable();
  const driver = harness.children.find(({ name }) => name === 'tauri-driver').child.pid;
  const wanted = realpathSync(binary);
  const program = descendants(table, driver).find((pid) => exeOf(pid) === wanted);
  assert.ok(program, `no process runs ${binary}`);
  const parts = descendants(table, program).map((pid) => ({ pid, comm: table.get(pid)?.comm ?? '?', ...pssKiB(pid) }));
  // Other programs' WebKit web processes share library pages with ours (see pssKiB).
  const mine = new Set(parts.map((p) => p.pid));
  const otherWebProcesses = [...table].filter(([pid, { comm }]) => comm.startsWith('WebKitWebProces') && !mine.has(pid)).length;
  return { totalKiB: parts.reduce((sum, p) => sum + p.kib, 0), rssKiB: parts.reduce((sum, p) => sum + p.rss, 0), parts, otherWebProcesses };
}

const mib = (kib) => kib / 1024;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The demo shop's members' phones (the CLI reads the database the app will open). */
function demoPhones(dbPath) {
  const env = { ...process.env, REGULARS_DB: dbPath };
  execFileSync(CLI, ['demo'], { env, stdio: 'ignore' });
  const phones = [];
  for (let n = 1; ; n += 1) {
    let shown;
    try {
      shown = JSON.parse(execFileSync(CLI, ['member', 'show', `M${String(n).padStart(6, '0')}`, '--json'], { env, stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      break;
    }
    const phone = (shown.member ?? shown).phone;
    if (phone) phones.push(phone.replace(/\D/g, ''));
  }
  assert.ok(phones.length >= 10, `the demo shop has too few phones: ${phones.length}`);
  return phones;
}

/**
 * With MEASURE_QUIET_S set, waits up to that many seconds for no other
 * program's WebKit web process to run before a program starts (their
 * shared library pages would lower our Pss, see pssKiB).
 */
async function waitForQuiet() {
  const limitMs = Number(process.env.MEASURE_QUIET_S ?? 0) * 1000;
  const until = Date.now() + limitMs;
  const busy = () => [...processTable().values()].some(({ comm }) => comm.startsWith('WebKitWebProces'));
  while (limitMs > 0 && busy() && Date.now() < until) await sleep(1000);
}

async function withProgram(binary, { seed }, body) {
  await waitForQuiet();
  const harness = new Harness();
  let session;
  try {
    const phones = seed ? demoPhones(harness.dbPath) : [];
    await harness.start();
    session = await Session.create(harness.driverUrl, {
      alwaysMatch: { 'tauri:options': { application: binary } },
    });
    return await body(session, harness, phones);
  } finally {
    if (session) await session.delete().catch(() => {});
    await harness.stop();
  }
}

async function bareRun() {
  return withProgram(BARE, { seed: false }, async (session, harness) => {
    await session.waitFor('body');
    await sleep(IDLE_MS);
    return { idle: measure(harness, BARE) };
  });
}

async function appRun() {
  return withProgram(APP, { seed: true }, async (session, harness, phones) => {
    // The demo shop has staff: the app opens on the PIN pad (its owner's PIN).
    await signIn(session, DEMO_PINS.owner);
    const search = await session.waitFor('#search', { timeoutMs: 30_000 });
    await sleep(IDLE_MS);
    const idle = measure(harness, APP);
    const started = Date.now();
    for (let i = 0; i < LOOKUPS; i += 1) {
      const phone = phones[i % phones.length];
      await search.type(phone.slice(-4));
      // The list is shown for these digits: the phone's owner is in it.
      const rows = await session.waitForAll('[data-testid=result-phone]', { timeoutMs: 10_000 });
      const shown = await Promise.all(rows.map((row) => row.text()));
      assert.ok(shown.some((text) => text.replace(/\D/g, '') === phone), `${phone.slice(-4)}: ${shown}`);
      // Escape clears the search, as a cashier does (WebDriver's clear sends no input event).
      await search.type(ESCAPE);
      await session.waitForAll('[data-testid=result]', { timeoutMs: 10_000, count: (n) => n === 0 });
    }
    const lookupMs = (Date.now() - started) / LOOKUPS;
    await sleep(IDLE_MS);
    const afterLookups = measure(harness, APP);
    return { idle, afterLookups, lookupMs };
  });
}

function describe(run) {
  const parts = run.parts.map((p) => `${p.comm} ${mib(p.kib).toFixed(1)} (anon ${mib(p.anon).toFixed(1)}, file ${mib(p.file).toFixed(1)})`);
  return `${parts.join(', ')}; Rss ${mib(run.rssKiB).toFixed(1)}; other WebKit web processes on the machine: ${run.otherWebProcesses}`;
}

const bare = [];
const app = [];
for (let run = 1; run <= RUNS; run += 1) {
  bare.push(await bareRun());
  console.error(`# run ${run} bare: ${mib(bare.at(-1).idle.totalKiB).toFixed(1)} MiB (${describe(bare.at(-1).idle)})`);
  app.push(await appRun());
  const last = app.at(-1);
  console.error(`# run ${run} app idle: ${mib(last.idle.totalKiB).toFixed(1)} MiB (${describe(last.idle)})`);
  console.error(
    `# run ${run} app after ${LOOKUPS} lookups: ${mib(last.afterLookups.totalKiB).toFixed(1)} MiB (${describe(last.afterLookups)}); ${last.lookupMs.toFixed(0)} ms per lookup typed, shown and cleared`,
  );
}

const floor = median(bare.map((r) => r.idle.totalKiB));
const rssFloor = median(bare.map((r) => r.idle.rssKiB));
const rows = [
  ['bare Tauri 2 window, idle', floor, rssFloor],
  ['app, idle after start', median(app.map((r) => r.idle.totalKiB)), median(app.map((r) => r.idle.rssKiB))],
  [`app, after ${LOOKUPS} lookups`, median(app.map((r) => r.afterLookups.totalKiB)), median(app.map((r) => r.afterLookups.rssKiB))],
];
/** Median per process kind (by comm) for one of the app's phases. */
function byProcess(phase) {
  const kinds = new Map();
  for (const run of app) {
    for (const part of run[phase].parts) {
      const key = part.comm;
      kinds.set(key, [...(kinds.get(key) ?? []), part.kib]);
    }
  }
  return [...kinds].map(([comm, values]) => `${comm} ${mib(median(values)).toFixed(1)}`).join(', ');
}

console.log(`profile: ${process.env.MEASURE_PROFILE ?? '?'}; ${RUNS} runs, medians; Pss of the program and its descendants`);
console.log();
console.log('| program and moment | Pss MiB | × bare window | Rss MiB | × bare window |');
console.log('|---|---|---|---|---|');
for (const [label, kib, rss] of rows) {
  console.log(`| ${label} | ${mib(kib).toFixed(1)} | ${(kib / floor).toFixed(2)} | ${mib(rss).toFixed(1)} | ${(rss / rssFloor).toFixed(2)} |`);
}
console.log();
console.log(`app idle, per process: ${byProcess('idle')}`);
console.log(`app after lookups, per process: ${byProcess('afterLookups')}`);
console.log(`bare window, per process: ${[...new Set(bare.flatMap((r) => r.idle.parts.map((p) => p.comm)))].join(', ')}`);
const over = rows.slice(1).filter(([, kib]) => kib / floor > LIMIT);
if (over.length) console.log(`over ${LIMIT}× the bare window: ${over.map(([label]) => label).join('; ')}`);
