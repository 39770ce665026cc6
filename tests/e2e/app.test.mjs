// End-to-end: the real desktop binary (with the embedded front end) driven
// through tauri-driver, on a fresh database. Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARROW_DOWN, ENTER, Session } from './webdriver.mjs';
import { Harness, REPO_ROOT } from './harness.mjs';

const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
const FAILURE_DIR = join(REPO_ROOT, 'test-output', 'e2e');

/** The demo member whose birthday is today, so the card shows the banner. */
const DEMO_MEMBER = '陳怡君';

async function saveScreenshot(session, dir, name) {
  mkdirSync(dir, { recursive: true });
  await session.settle();
  const path = join(dir, name);
  writeFileSync(path, await session.screenshot());
  return path;
}

describe('Regulars desktop app', { timeout: 180_000 }, () => {
  const harness = new Harness();
  let session;

  before(async () => {
    await harness.start();
    session = await Session.create(harness.driverUrl, harness.capabilities());
  });

  after(async () => {
    try {
      if (session) await session.delete();
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
      if (session) {
        const shot = await saveScreenshot(session, FAILURE_DIR, `${name}.png`).catch(() => null);
        if (shot) console.error(`# failure screenshot: ${shot}`);
      }
      throw error;
    }
  }

  it('opens on the database named by REGULARS_DB', async () => {
    await step('database', async () => {
      await session.waitFor('#app');
      assert.equal(await session.title(), '熟客 Regulars');
      // The app inherited REGULARS_DB through tauri-driver and WebKitWebDriver.
      assert.ok(existsSync(harness.dbPath), `expected the app to create ${harness.dbPath}`);
    });
  });

  it('offers demo data on first start and loads it', async () => {
    await step('first-start', async () => {
      const welcome = await session.waitFor('[data-testid=welcome]');
      assert.match(await welcome.text(), /載入示範資料/);
      await saveScreenshot(session, SCREENSHOT_DIR, 'welcome.png');
      await (await session.waitFor('[data-testid=load-demo]')).click();
      await session.waitFor('#search', { timeoutMs: 60_000 });
      const notice = await session.waitFor('[data-testid=notice]');
      assert.match(await notice.text(), /已載入 \d+ 位示範會員/);
    });
  });

  let phone;
  let lastFour;

  it('finds a member by name and by the last four digits of the phone', async () => {
    await step('lookup', async () => {
      const search = await session.waitFor('#search');
      const active = await session.activeElement();
      assert.equal(active.id, search.id, 'the search box has the focus');

      await search.type(DEMO_MEMBER);
      const [byName] = await session.waitForAll('[data-testid=result]');
      assert.equal(await (await byName.find('[data-testid=result-name]')).text(), DEMO_MEMBER);
      phone = await (await byName.find('[data-testid=result-phone]')).text();
      lastFour = phone.replace(/\D/g, '').slice(-4);
      assert.equal(lastFour.length, 4, `demo phone ${phone}`);

      await search.clear();
      await search.type(lastFour);
      await session.waitForAll('[data-testid=result]', { timeoutMs: 10_000 });
      // Wait until the list shows the answer for the four digits.
      const deadline = Date.now() + 10_000;
      let index = -1;
      while (index < 0) {
        const phones = [];
        for (const row of await session.findAll('[data-testid=result]')) {
          const [phoneCell] = await row.findAll('[data-testid=result-phone]');
          phones.push(phoneCell ? await phoneCell.text() : '');
        }
        index = phones.indexOf(phone);
        if (index < 0) {
          assert.ok(Date.now() < deadline, `no result with phone ${phone} for ${lastFour}: ${phones}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      await saveScreenshot(session, SCREENSHOT_DIR, 'lookup.png');
      // Choose the member with the arrow keys if another hit ranks first.
      for (let i = 0; i < index; i += 1) await search.type(ARROW_DOWN);
      await search.type(ENTER);
    });
  });

  it('shows the member card with name, balance and stamp cards', async () => {
    await step('member-card', async () => {
      const card = await session.waitFor('[data-testid=member-card]');
      assert.ok(card);
      assert.equal(await (await session.waitFor('[data-testid=member-name]')).text(), DEMO_MEMBER);
      assert.equal(await (await session.waitFor('[data-testid=member-phone]')).text(), phone);
      const balance = await (await session.waitFor('[data-testid=wallet-balance]')).text();
      assert.match(balance, /^-?\$[\d,]+$/, `TWD balance without decimals: ${balance}`);
      const stampCards = await session.findAll('[data-testid=stamp-card]');
      assert.ok(stampCards.length > 0, 'the demo member has a stamp card');
      const banner = await session.findAll('[data-testid=birthday-banner]');
      assert.equal(banner.length, 1, 'the demo member has a birthday today');
      await saveScreenshot(session, SCREENSHOT_DIR, 'member-card.png');
    });
  });

  it('goes back to the search, keeping the query', async () => {
    await step('back', async () => {
      await (await session.waitFor('[data-testid=back]')).click();
      const search = await session.waitFor('#search');
      assert.equal(await search.property('value'), lastFour);
      await session.waitForAll('[data-testid=result]');
    });
  });
});
