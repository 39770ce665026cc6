// End-to-end: cash at the counter and the drawer at the close, through the
// real desktop binary on a fresh demo database, at a small shop laptop's
// 1024×700. Run: node --test tests/e2e/checkout-drawer.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ENTER } from './webdriver.mjs';
import { REPO_ROOT, SHOP_TODAY, appUnderTest, saveScreenshot } from './harness.mjs';
import { DEMO_PINS, loadDemoAndSignIn } from './staff.mjs';

const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');
const CLI = join(process.env.CARGO_TARGET_DIR || join(REPO_ROOT, 'target'), 'debug', 'regulars');
const DEMO_MEMBER = '陳怡君';

/** The amount in a TWD text such as "$1,235" or "短 $35". */
const amount = (text) => Number(text.replace(/[^\d]/g, ''));
const twd = (minor) => `$${minor.toLocaleString('en-US')}`;

describe('cash tendered and the counted drawer', { timeout: 240_000 }, () => {
  const { harness, session, step } = appUnderTest({ windowSize: { width: 1024, height: 700 } });

  before(async () => {
    await loadDemoAndSignIn(session);
  });

  let total;

  it('fits the checkout with two lines in the cart into 1024×700, confirm clear of the edge', async () => {
    await step('checkout-layout', async () => {
      const search = await session.waitFor('#search');
      await search.type(DEMO_MEMBER);
      await session.waitForText('[data-testid=result-name]', new RegExp(DEMO_MEMBER));
      await search.type(ENTER);
      await (await session.waitFor('[data-testid=start-checkout]')).click();
      await session.waitFor('[data-testid=checkout]');
      const products = await session.waitForAll('[data-testid=product]', { count: (n) => n >= 2 });
      await products[0].click();
      await products[1].click();
      await session.waitForAll('[data-testid=cart] li', { count: (n) => n === 2 });
      // The menu's first two: 珍珠奶茶 60 and 四季春青茶 35.
      total = amount(await (await session.waitFor('[data-testid=checkout-total]')).text());
      assert.equal(total, 95);
      // Cash is the first method: the cash given and its quick amounts show.
      await session.waitFor('[data-testid=tendered-panel]');
      const quick = await session.findAll('[data-testid=tendered-quick]');
      assert.deepEqual(await Promise.all(quick.map((b) => b.text())), ['$100', '$500', '$1,000']);
      await saveScreenshot(session, SCREENSHOT_DIR, 'checkout-1024x700.png');
      const box = await session.execute(
        'const r = document.querySelector("[data-testid=confirm-sale]").getBoundingClientRect();' +
          'return { bottom: r.bottom, height: innerHeight, width: innerWidth, scroll: document.documentElement.scrollHeight };',
      );
      assert.equal(box.width, 1024, `the window is 1024 wide: ${JSON.stringify(box)}`);
      assert.ok(box.bottom <= box.height - 8, `the confirm button clears the bottom edge: ${JSON.stringify(box)}`);
      assert.ok(box.scroll <= box.height, `nothing needs scrolling: ${JSON.stringify(box)}`);
    });
  });

  it('cash tendered shows the change', async () => {
    await step('cash-tendered', async () => {
      const quick = await session.findAll('[data-testid=tendered-quick]');
      await quick[2].click();
      await session.waitForText('[data-testid=change]', new RegExp(`^\\${twd(1000 - total)}$`));
      // Too little cash: said so, and the sale cannot be confirmed.
      const tendered = await session.waitFor('[data-testid=tendered]');
      await tendered.clear();
      await tendered.type('５０'); // a Chinese input method's full-width digits
      await session.waitForText('[data-testid=tendered-short]', /不夠付/);
      assert.equal(await (await session.waitFor('[data-testid=confirm-sale]')).property('disabled'), true);
      await tendered.type(ENTER);
      await tendered.clear();
      await tendered.type('１０００');
      await session.waitForText('[data-testid=change]', new RegExp(`^\\${twd(1000 - total)}$`));
      await saveScreenshot(session, SCREENSHOT_DIR, 'checkout-change.png');
      await tendered.type(ENTER);
      // The receipt keeps what was given and the change.
      await session.waitForText('[data-testid=last-receipt] [data-testid=receipt-tendered]', /收現\s*\$1,000/);
      await session.waitForText('[data-testid=last-receipt] [data-testid=receipt-change]', new RegExp(`找零\\s*\\${twd(1000 - total)}`));
    });
  });

  it("the day close records a counted drawer's over/short", async () => {
    await step('drawer-count', async () => {
      await (await session.waitFor('[data-testid=nav-owner]')).click();
      await (await session.waitFor('[data-testid=owner-day-close]')).click();
      // The demo's morning in cash (sales 175, a top-up of 1,000) and the sale just made.
      const cash = amount(await session.waitForText('[data-testid=day-drawer]', /\$/));
      assert.equal(cash, 175 + 1000 + total);
      const float = await session.waitFor('[data-testid=drawer-float]');
      await float.clear();
      await float.type('2000');
      await session.waitForText('[data-testid=drawer-count]', new RegExp(`應有現金 \\${twd(2000 + cash)}`));
      const counted = await session.waitFor('[data-testid=drawer-counted]');
      await counted.type(String(2000 + cash - 35));
      await session.waitForText('[data-testid=drawer-preview]', /短 \$35/);
      await (await session.waitFor('[data-testid=drawer-record]')).click();
      await session.waitForText('[data-testid=drawer-over-short]', /^短 \$35$/);

      // A recount is a new count; the latest is the day's.
      await (await session.waitFor('[data-testid=drawer-counted]')).type(String(2000 + cash + 10));
      await (await session.waitFor('[data-testid=drawer-record]')).click();
      await session.waitForText('[data-testid=drawer-over-short]', /^多 \$10$/);
      await session.waitForText('[data-testid=drawer-recounts]', /今天點了 2 次/);
      await session.execute('document.querySelector("[data-testid=drawer-count]").scrollIntoView({ block: "center" })');
      await saveScreenshot(session, SCREENSHOT_DIR, 'day-close-drawer.png');

      // In the database: both counts, the latest 10 over, as the CLI reads them.
      assert.ok(existsSync(CLI), `the CLI is built: ${CLI}`);
      // The CLI runs on the real clock: it is asked for the app's day.
      const args = ['--db', harness.dbPath, '--pin', DEMO_PINS.owner, '--json', 'report', 'day', '--date', SHOP_TODAY];
      const day = JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
      assert.equal(day.drawerCounts, 2);
      assert.equal(day.drawer.overShortMinor, 10);
      assert.equal(day.drawer.expectedMinor, 2000 + cash);
      assert.equal(day.drawer.floatMinor, 2000);
    });
  });

  it('shows the totals, the balanced line and the drawer count with its button without scrolling, in each language', async () => {
    await step('day-close-fold', async () => {
      for (const language of ['zh-TW', 'zh-CN', 'en']) {
        await (await session.waitFor(`#language option[value="${language}"]`)).click();
        await session.waitForText('[data-testid=day-balanced]', language === 'en' ? /^Balanced/ : /^(帳平|账平)/);
        await session.execute('window.scrollTo(0, 0)');
        await session.settle();
        const box = await session.execute(
          'const bottom = (css) => document.querySelector(css).getBoundingClientRect().bottom;' +
            'return { height: innerHeight, scroll: document.documentElement.scrollHeight,' +
            " methods: bottom('[data-testid=day-methods]'), receipts: bottom('[data-testid=day-receipts]')," +
            " balanced: bottom('[data-testid=day-balanced]'), record: bottom('[data-testid=drawer-record]') };",
        );
        const seen = `${language}: ${JSON.stringify(box)}`;
        assert.equal(box.height, 700, seen);
        for (const part of ['methods', 'receipts', 'balanced', 'record']) assert.ok(box[part] <= box.height, `${part} is cut off, ${seen}`);
        assert.ok(box.scroll <= box.height, `nothing needs scrolling, ${seen}`);
        await saveScreenshot(session, SCREENSHOT_DIR, `day-close-1024x700-${language}.png`);
      }
      await (await session.waitFor('#language option[value="zh-TW"]')).click();
    });
  });
});
