// End-to-end: a shop's first start through the setup steps, a restart on the
// same database, a stamp card redeemed only after a confirmation, and voids
// (one refused because its stamps were redeemed since, one that closes its
// form on the reversing receipt). Run: node --test tests/e2e/cards-voids.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTER, ESCAPE, F2 } from './webdriver.mjs';
import { appUnderTest } from './harness.mjs';
import { signIn, signedInName } from './staff.mjs';

const SHOP = '阿明茶飲';
const CARD = '飲料卡';
const REWARD = '任選飲品一杯';
const NAME = '周杰倫';
const PHONE = '0966555444';
const OWNER = '阿明';
const OWNER_PIN = '2580';

describe('First start, stamps and voids', { timeout: 300_000 }, () => {
  const { session, step, restart } = appUnderTest({ failurePrefix: 'cards-' });

  async function openMember() {
    await session.keys(F2);
    const search = await session.waitFor('#search');
    await search.clear();
    await search.type(PHONE.slice(-4));
    await session.waitForText('[data-testid=result-name]', new RegExp(NAME));
    await search.type(ENTER);
    await session.waitForText('[data-testid=member-name]', new RegExp(NAME));
  }

  /** A sale typed as an amount, paid by card, from the member's card. */
  async function sell(amount) {
    await (await session.waitFor('[data-testid=start-checkout]')).click();
    await session.waitFor('[data-testid=checkout]');
    const input = await session.waitFor('[data-testid=amount]');
    await input.type(amount);
    await (await session.waitFor('[data-testid=pay-2]')).click();
    await (await session.waitFor('[data-testid=amount]')).type(ENTER);
    await session.waitFor('#search');
    await openMember();
  }

  /** The shop's name in the header (read from the page: WebKit reports the ellipsised span's text as empty). */
  async function shopNameIs(name) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const shown = await session.execute("return document.querySelector('[data-testid=shop-name]')?.textContent ?? ''");
      if (shown === name) return;
      if (Date.now() > deadline) throw new Error(`the header shows ${JSON.stringify(shown)}, not ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function openReceipt(number) {
    await (await session.waitFor(`[data-testid=receipt][data-number="${number}"] [data-testid=open-receipt]`)).click();
    await session.waitForText('[data-testid=receipt-number]', new RegExp(`#${number}$`));
  }

  it('sets up an empty shop in a few steps, Enter by Enter', async () => {
    await step('setup', async () => {
      await session.waitFor('[data-testid=welcome]');
      // The focused choice is the shop's own setup; the owner's account comes first.
      await session.keys(ENTER);
      await (await session.waitFor('[data-testid=owner-name]')).type(OWNER);
      await (await session.waitFor('[data-testid=owner-pin]')).type(OWNER_PIN);
      await (await session.waitFor('[data-testid=owner-pin-again]')).type(OWNER_PIN + ENTER);
      const name = await session.waitFor('[data-testid=setup-shop-name]');
      assert.equal((await session.activeElement()).id, name.id, 'the shop name has the focus');
      await name.type(SHOP + ENTER);
      await session.waitFor('[data-testid=setup][data-step=currency]');
      await session.keys(ENTER);
      await session.waitFor('[data-testid=setup][data-step=timeZone]');
      await session.keys(ENTER);
      await session.waitFor('[data-testid=setup][data-step=program]');
      await (await session.waitFor('[data-testid=setup-program-name]')).type(CARD);
      await (await session.waitFor('[data-testid=setup-program-reward]')).type(REWARD);
      const needed = await session.waitFor('[data-testid=setup-program-needed]');
      await needed.clear();
      await needed.type('2');
      await (await session.waitFor('[data-testid=setup-program-rule] option[value=perVisit]')).click();
      await (await session.waitFor('[data-testid=setup-next]')).click();
      const summary = await session.waitForText('[data-testid=setup-summary]', new RegExp(SHOP));
      assert.match(summary, new RegExp(CARD));
      await session.keys(ENTER);
      await session.waitFor('#search');
      await shopNameIs(SHOP);
      assert.equal(await signedInName(session), OWNER);
    });
  });

  it('the welcome screen does not come back after a restart: the PIN pad does', async () => {
    await step('restart', async () => {
      // A new session starts the app again, on the same REGULARS_DB.
      await restart();
      await signIn(session, OWNER_PIN, OWNER);
      await session.waitFor('#search', { timeoutMs: 30_000 });
      assert.equal((await session.findAll('[data-testid=welcome]')).length, 0, 'no welcome once set up');
      await shopNameIs(SHOP);
    });
  });

  it('registers a member and fills the card with two visits', async () => {
    await step('stamps', async () => {
      const search = await session.waitFor('#search');
      await search.type(PHONE);
      await session.waitFor('[data-testid=new-member]');
      await search.type(ENTER);
      await (await session.waitFor('[data-testid=reg-name]')).type(NAME + ENTER);
      await session.waitForText('[data-testid=member-name]', new RegExp(NAME));
      await sell('60');
      await sell('55');
      await session.waitForText('[data-testid=reward-ready]', new RegExp(REWARD));
    });
  });

  it('shows the reward line and 立即兌換 without scrolling at 1024×700', async () => {
    await step('fold', async () => {
      await session.call('POST', '/window/rect', { width: 1024, height: 700 });
      await openMember();
      await session.settle();
      const [height, scrolled, ready, redeem] = await session.execute(
        "const box = (css) => document.querySelector(css).getBoundingClientRect().bottom;" +
          "return [innerHeight, scrollY, box('[data-testid=reward-ready]'), box('[data-testid=redeem-now]')];",
      );
      assert.equal(scrolled, 0);
      assert.ok(ready <= height && redeem <= height, `reward line at ${ready}, button at ${redeem}, window ${height} high`);
    });
  });

  it('redeem asks first: Escape keeps the reward, Enter redeems and says what', async () => {
    await step('redeem', async () => {
      await (await session.waitFor('[data-testid=redeem-now]')).click();
      await session.waitForText('[data-testid=redeem-confirm]', new RegExp(REWARD));
      await session.keys(ESCAPE);
      await session.waitForAll('[data-testid=redeem-confirm]', { count: (n) => n === 0 });
      // Still on the member's card, the reward still there.
      await session.waitForText('[data-testid=member-name]', new RegExp(NAME));
      await session.waitFor('[data-testid=reward-ready]');

      await (await session.waitFor('[data-testid=redeem-now]')).click();
      const yes = await session.waitFor('[data-testid=redeem-confirm-yes]');
      assert.equal((await session.activeElement()).id, yes.id, 'the confirmation has the focus');
      await session.keys(ENTER);
      await session.waitForText('[data-testid=card-notice]', new RegExp(`已兌換：${REWARD}`));
      await session.waitForAll('[data-testid=reward-ready]', { count: (n) => n === 0 });
    });
  });

  it('names the redemption that used a sale’s stamps and opens it', async () => {
    await step('void-refused', async () => {
      // Receipts: #1 and #2 the sales, #3 the redemption.
      await openReceipt(1);
      await (await session.waitFor('[data-testid=void-start]')).click();
      await (await session.waitFor('[data-testid=void-reason]')).type('刷錯人' + ENTER);
      const error = await session.waitForText('[data-testid=void-error]', /#3/);
      assert.match(error, new RegExp(`不能作廢 #1：它集的${CARD}點數已在 #3 兌換掉了`));
      assert.doesNotMatch(error, /[A-Za-z]{4,}/, `no English in the message: ${error}`);
      await (await session.waitFor('[data-testid=open-redemption]')).click();
      await session.waitForText('[data-testid=receipt-number]', /#3$/);
    });
  });

  it('a void closes its form and shows the reversing receipt', async () => {
    await step('void', async () => {
      await (await session.waitFor('[data-testid=void-start]')).click();
      const reason = await session.waitFor('[data-testid=void-reason]');
      // Enter without a reason asks for one and voids nothing.
      await reason.type(ENTER);
      await session.waitForText('[data-testid=void-error]', /請填寫原因/);
      await reason.type('按錯了' + ENTER);
      await session.waitForText('[data-testid=receipt-kind]', /^作廢 #3 的收據$/);
      await session.waitForText('[data-testid=voided-notice]', /已作廢 #3/);
      assert.equal((await session.findAll('[data-testid=void-form]')).length, 0, 'the void form is closed');
      assert.equal((await session.findAll('[data-testid=void-start]')).length, 0, 'a void cannot be voided');
      await session.waitForText('[data-testid=receipt-number]', /#4$/);
      // A second Enter confirms nothing again ("request id already used"
      // before): it is on Back, and goes back to the card, where the reward
      // has come back.
      await session.keys(ENTER);
      await session.waitForText('[data-testid=member-name]', new RegExp(NAME));
      assert.equal((await session.findAll('[data-testid=action-error]')).length, 0);
      await session.waitForText('[data-testid=reward-ready]', new RegExp(REWARD));
    });
  });
});
