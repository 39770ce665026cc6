// End-to-end: staff on the demo shop. A cashier signs in with a PIN, is
// refused a refund, and a manager's PIN approves it on the same screen; the
// receipt and the audit log name both; five wrong PINs lock the pad.
// Run: node --test tests/e2e/staff.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENTER } from './webdriver.mjs';
import { REPO_ROOT, appUnderTest, saveScreenshot } from './harness.mjs';
import { DEMO_PINS, signIn, signedInName } from './staff.mjs';

const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');
const CLI = join(process.env.CARGO_TARGET_DIR || join(REPO_ROOT, 'target'), 'debug', 'regulars');
const DEMO_MEMBER = '陳怡君';

describe('staff, PINs and a manager approving', { timeout: 240_000 }, () => {
  const { harness, session, step } = appUnderTest({ failurePrefix: 'staff-', windowSize: { width: 1024, height: 700 } });
  const shot = (name) => saveScreenshot(session, SCREENSHOT_DIR, name);

  async function openMember() {
    const search = await session.waitFor('#search');
    await search.clear();
    await search.type(DEMO_MEMBER);
    await session.waitForText('[data-testid=result-name]', new RegExp(DEMO_MEMBER));
    await search.type(ENTER);
    await session.waitForText('[data-testid=member-name]', new RegExp(DEMO_MEMBER));
  }

  it('shows the demo staff with their PINs, then signs a cashier in on the PIN pad', async () => {
    await step('demo-pins', async () => {
      await (await session.waitFor('[data-testid=load-demo]', { timeoutMs: 30_000 })).click();
      await session.waitFor('[data-testid=demo-pins]', { timeoutMs: 60_000 });
      const rows = [];
      for (const row of await session.findAll('[data-testid=demo-login]')) rows.push(await row.text());
      assert.equal(rows.length, 4);
      assert.match(rows[0], /老闆.*1111/s);
      assert.match(rows[1], /店長.*2222/s);
      assert.match(rows[2], /小美.*收銀員.*3333/s);
      await shot('demo-pins.png');
      await (await session.waitFor('[data-testid=demo-continue]')).click();
      await session.waitFor('[data-testid=pin-pad]');
      await shot('pin-pad.png');
      await signIn(session, DEMO_PINS.cashier, '小美');
      const role = await session.execute("return document.querySelector('[data-testid=signed-in-role]').textContent");
      assert.equal(role, '收銀員');
      // A cashier has neither the owner's view nor the settings.
      assert.equal((await session.findAll('[data-testid=nav-owner]')).length, 0);
      assert.equal((await session.findAll('[data-testid=nav-settings]')).length, 0);
    });
  });

  it("refuses the cashier a refund, and a manager's PIN approves it on the same screen", async () => {
    await step('approve', async () => {
      // A top-up is the cashier's to do: it gives the member something to refund.
      await openMember();
      await (await session.waitFor('[data-testid=start-top-up]')).click();
      await (await session.waitFor('[data-testid=top-up-amount]')).type('500' + ENTER);
      await session.waitFor('#search');
      await openMember();
      await (await session.waitFor('[data-testid=start-refund]')).click();
      await (await session.waitFor('[data-testid=refund-amount]')).type('100' + ENTER);
      const refused = await session.waitForText('[data-testid=wallet-error]', /收銀員不能退還儲值/);
      assert.match(refused, /需要店長的權限/);
      const pin = await session.waitFor('[data-testid=approver-pin]');
      assert.match(await (await session.waitFor('[data-testid=approval]')).text(), /店長\/老闆核准/);
      await shot('approval.png');
      await pin.type(DEMO_PINS.manager + ENTER);
      // Done: back at the search with the refund's receipt beside it.
      await session.waitFor('#search');
      await (await session.waitFor('[data-testid=open-last-receipt]')).click();
      await session.waitForText('[data-testid=receipt-approved-by]', /^店長$/);
      const receipt = await (await session.waitFor('[data-testid=receipt-screen]')).text();
      assert.match(receipt, /小美/);
    });
  });

  it('switches to the owner, who sees both names in the audit log', async () => {
    await step('audit', async () => {
      await (await session.waitFor('[data-testid=switch-user]')).click();
      await signIn(session, DEMO_PINS.owner, '老闆');
      // On screen: the owner's view, its audit log filtered to refunds.
      await (await session.waitFor('[data-testid=nav-owner]')).click();
      await session.waitFor('[data-testid=audit-log]', { timeoutMs: 30_000 });
      await session.execute('document.querySelector("[data-testid=audit-log]").scrollIntoView({ block: "start" })');
      await (await session.waitFor('[data-testid=audit-kind] option[value=refund]')).click();
      await session.waitForAll('[data-testid=audit-row]', { count: (n) => n === 1 });
      const cells = await session.execute(
        "const row = document.querySelector('[data-testid=audit-row]');" +
          "return [row.dataset.kind, row.querySelector('[data-testid=audit-row-staff]').textContent, row.querySelector('[data-testid=audit-row-approver]').textContent];",
      );
      assert.deepEqual(cells, ['refund', '小美', '店長']);
      await shot('audit-log.png');
      // And in the database, as the CLI reads it.
      const rows = JSON.parse(
        execFileSync(CLI, ['--db', harness.dbPath, '--pin', DEMO_PINS.owner, '--json', 'audit', 'log', '--kind', 'refund'], {
          encoding: 'utf8',
        }),
      );
      assert.equal(rows.length, 1, JSON.stringify(rows));
      assert.equal(rows[0].staffName, '小美');
      assert.equal(rows[0].approverName, '店長');
    });
  });

  it('locks the PIN pad after five wrong PINs, saying until when', async () => {
    await step('lock', async () => {
      await (await session.waitFor('[data-testid=switch-user]')).click();
      await session.waitFor('[data-testid=pin-pad]');
      for (let i = 1; i <= 4; i += 1) {
        await session.keys('9999' + ENTER);
        await session.waitForText('[data-testid=pin-error]', new RegExp(`再錯 ${5 - i} 次`));
      }
      await session.keys('9999' + ENTER);
      // Five minutes on from the app's clock, which started at 10:30 (CLOCK_START)
      // and has run for the minute or so of this file's tests.
      await session.waitForText('[data-testid=pin-error]', /已鎖住到 上午10:3[5-9]/);
      // Even the right PIN waits out the lock.
      await session.keys(DEMO_PINS.owner + ENTER);
      await session.waitForText('[data-testid=pin-error]', /已鎖住到/);
      assert.equal(await signedInName(session), '');
      await shot('pin-locked.png');
    });
  });
});
