// End-to-end: the owner's coupons through the real desktop binary on a fresh
// demo database, at a small shop laptop's 1024×700. The owner adds an
// offer in the settings, sends it to this month's birthdays as a campaign
// after its preview; a cashier applies one of those coupons at checkout by
// its code, typed as a scanner types it; the receipt shows the discount line
// and the total after it; the
// owner's campaign report counts it; then points are redeemed and earned on
// a sale. Run: node --test tests/e2e/coupons.test.mjs
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ENTER } from './webdriver.mjs';
import { REPO_ROOT, SHOP_TODAY, appUnderTest, saveScreenshot } from './harness.mjs';
import { DEMO_PINS, loadDemoAndSignIn, signIn } from './staff.mjs';

const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');
const OFFER = '生日折50';
const CAMPAIGN = `生日（本月） ${SHOP_TODAY}`;
/** One of the demo shop's three December birthdays (陳怡君 today, 張雅婷 tomorrow, Frank Wu the 17th). */
const BIRTHDAY_MEMBER = '張雅婷';
/** A VIP of the demo shop whose birthday is today: her points earn ×4. */
const POINTS_MEMBER = '陳怡君';

/** Finds a member by name at the search box and opens their card. */
async function openMember(session, name) {
  const search = await session.waitFor('#search');
  await search.clear();
  await search.type(name);
  await session.waitForText('[data-testid=result-name]', new RegExp(name));
  await search.type(ENTER);
  await session.waitForText('[data-testid=member-name]', new RegExp(name));
}

/** Scrolls an element into view (the owner's view is one long page). */
const scrollTo = (session, css) =>
  session.execute(`document.querySelector(${JSON.stringify(css)}).scrollIntoView({ block: 'center' })`);

describe("the owner's coupons, from the offer to the campaign report", { timeout: 300_000 }, () => {
  const { session, step } = appUnderTest({ failurePrefix: 'coupons-', windowSize: { width: 1024, height: 700 } });

  before(async () => {
    await loadDemoAndSignIn(session);
  });

  it('the owner adds an offer in the settings: NT$50 off a sale of 100 or more, 30 days', async () => {
    await step('offer', async () => {
      await (await session.waitFor('[data-testid=nav-settings]')).click();
      await session.waitFor('[data-testid=offers]');
      await scrollTo(session, '[data-testid=offer-form]');
      await (await session.waitFor('[data-testid=offer-name]')).type(OFFER);
      await (await session.waitFor('[data-testid=offer-amount]')).type('50');
      await (await session.waitFor('[data-testid=offer-min-spend]')).type('100');
      await (await session.waitFor('[data-testid=offer-save]')).click();
      await session.waitForText('[data-testid=offer-notice]', new RegExp(`^已新增方案「${OFFER}」。$`));
      const terms = await session.waitForText('[data-testid=offer] [data-testid=offer-terms]', /折 \$50/);
      assert.equal(terms, '折 $50 · 滿 $100 可用 · 發券後 30 天內有效 · 不可併用');
      await scrollTo(session, '[data-testid=offers]');
      await saveScreenshot(session, SCREENSHOT_DIR, 'settings-offers.png');
    });
  });

  it("sends it to this month's birthdays as a campaign, after a preview of how many and the most it costs", async () => {
    await step('campaign', async () => {
      await (await session.waitFor('[data-testid=nav-owner]')).click();
      // The owner's view opens on the lapsed list; then this month's birthdays.
      await session.waitFor('[data-testid=owner-tab-lapsed][aria-selected=true]');
      await session.waitForText('[data-testid=owner-total]', /^共 \d+ 位$/);
      await (await session.waitFor('[data-testid=owner-tab-birthdays]')).click();
      await session.waitFor('[data-testid=owner-tab-birthdays][aria-selected=true]');
      await (await session.waitFor('[data-testid=birthday-thisMonth]')).click();
      await session.waitFor('[data-testid=birthday-thisMonth][aria-pressed=true]');
      await session.waitForText('[data-testid=owner-total]', /^共 3 位$/);
      await scrollTo(session, '[data-testid=campaign] summary');
      await (await session.waitFor('[data-testid=campaign] summary')).click();
      await session.waitForText('[data-testid=campaign-offer]', new RegExp(OFFER));
      assert.equal(await (await session.waitFor('[data-testid=campaign-name]')).property('value'), CAMPAIGN);
      assert.equal((await session.findAll('[data-testid=campaign-issue]')).length, 0, 'nothing to confirm before the preview');
      await (await session.waitFor('[data-testid=campaign-preview]')).click();
      const figures = await session.waitForText('[data-testid=campaign-figures]', /3 位/);
      assert.equal(figures, '將發給 3 位會員，最多折抵 $150');
      await scrollTo(session, '[data-testid=campaign-issue]');
      await saveScreenshot(session, SCREENSHOT_DIR, 'owner-campaign-preview.png');
      const issue = await session.waitFor('[data-testid=campaign-issue]');
      assert.equal((await issue.text()).trim(), '確認發出 3 張');
      await issue.click();
      await session.waitForText('[data-testid=owner-notice]', new RegExp(`^已發出 3 張優惠券：${CAMPAIGN}。$`));
      await session.waitForText('[data-testid=campaign-row] [data-testid=campaign-row-issued]', /^3$/);
      assert.equal(await (await session.waitFor('[data-testid=campaign-row-redeemed]')).text(), '0');
    });
  });

  it("a cashier applies one of them at checkout by its code; the receipt shows the discount and the total after it", async () => {
    await step('checkout', async () => {
      await (await session.waitFor('[data-testid=switch-user]')).click();
      await signIn(session, DEMO_PINS.cashier, '小美');
      await openMember(session, BIRTHDAY_MEMBER);
      const coupon = await session.waitForText('[data-testid=card-coupon]', new RegExp(OFFER));
      const code = (await (await session.waitFor('[data-testid=card-coupon] .code')).text()).trim();
      assert.match(coupon, new RegExp(`${code}.*${OFFER}`, 's'));

      await (await session.waitFor('[data-testid=start-checkout]')).click();
      await session.waitFor('[data-testid=checkout]');
      const [first] = await session.waitForAll('[data-testid=product]');
      await first.click();
      await first.click();
      // The menu's first item, 珍珠奶茶 at 60, twice.
      await session.waitForText('[data-testid=checkout-total]', /^\$120$/);
      const typed = await session.waitFor('[data-testid=coupon-code]');
      await typed.type(code.toLowerCase() + ENTER);
      await session.waitForText('[data-testid=checkout-coupon-discount]', /^−\$50$/);
      assert.equal(await (await session.waitFor('[data-testid=checkout-items-total]')).text(), '$120');
      await session.waitForText('[data-testid=checkout-total]', /^\$70$/);
      await saveScreenshot(session, SCREENSHOT_DIR, 'checkout-coupon.png');
      await (await session.waitFor('[data-testid=confirm-sale]')).click();

      const receipt = '[data-testid=last-receipt]';
      await session.waitForText(`${receipt} [data-testid=receipt-total]`, /^\$70$/);
      assert.equal(await (await session.waitFor(`${receipt} [data-testid=receipt-items-total]`)).text(), '$120');
      const discount = await session.waitForText(`${receipt} [data-testid=receipt-discount]`, new RegExp(code));
      assert.match(discount, new RegExp(`${OFFER}[\\s\\S]*−\\$50$`));
    });
  });

  it("the owner's campaign report counts the coupon redeemed, its discount and the sale", async () => {
    await step('report', async () => {
      await (await session.waitFor('[data-testid=switch-user]')).click();
      await signIn(session, DEMO_PINS.owner, '老闆');
      await (await session.waitFor('[data-testid=nav-owner]')).click();
      await session.waitForText('[data-testid=campaign-row] [data-testid=campaign-row-redeemed]', /^1$/);
      const cell = async (name) => (await session.waitFor(`[data-testid=campaign-row] [data-testid=campaign-row-${name}]`)).text();
      assert.equal(await cell('name'), CAMPAIGN);
      assert.equal(await cell('issued'), '3');
      assert.equal(await cell('rate'), '33.3%');
      assert.equal(await cell('discount'), '$50');
      assert.equal(await cell('sales'), '$70');
      assert.equal(await cell('after'), '$0');
      await scrollTo(session, '[data-testid=campaign-report]');
      await saveScreenshot(session, SCREENSHOT_DIR, 'owner-campaign-report.png');
    });
  });

  it('points: the card says what lapses next, the cashier types how many to redeem, the receipt shows them spent and earned', async () => {
    await step('points', async () => {
      await (await session.waitFor('[data-testid=switch-user]')).click();
      await signIn(session, DEMO_PINS.cashier, '小美');
      await openMember(session, POINTS_MEMBER);
      // Earned on the demo shop's half year of sales (one per NT$50, ×2 for a VIP).
      await session.waitForText("[data-testid=card-points]", /^151 點\s+可折 \$151$/);
      assert.equal((await (await session.waitFor('[data-testid=card-points-expiring]')).text()).trim(), '其中 21 點將於 2027-05-31 到期');

      await (await session.waitFor('[data-testid=start-checkout]')).click();
      await session.waitFor('[data-testid=checkout]');
      const [first] = await session.waitForAll('[data-testid=product]');
      await first.click();
      await first.click();
      await session.waitForText('[data-testid=checkout-total]', /^\$120$/);
      // Points may pay half a bill in the demo shop: at most 60 of her 151.
      await session.waitForText('[data-testid=points-max]', /最多可用 60 點/);
      await (await session.waitFor('[data-testid=redeem-points]')).type('20');
      await session.waitForText('[data-testid=checkout-points-discount]', /^−\$20$/);
      await session.waitForText('[data-testid=checkout-total]', /^\$100$/);
      await saveScreenshot(session, SCREENSHOT_DIR, 'checkout-points.png');
      await (await session.waitFor('[data-testid=confirm-sale]')).click();

      const receipt = '[data-testid=last-receipt]';
      await session.waitForText(`${receipt} [data-testid=receipt-total]`, /^\$100$/);
      const discount = await session.waitForText(`${receipt} [data-testid=receipt-discount]`, /積分/);
      assert.match(discount, /積分折抵 20 點[\s\S]*−\$20$/);
      // 151 − 20 + 8: the $100 paid earns 2 points, ×2 as a VIP and ×2 in her birthday month.
      const points = await session.waitForText(`${receipt} [data-testid=receipt-points]`, /139/);
      assert.equal(points.replace(/\s+/g, ' ').trim(), '積分 151 → 139 +8');
      assert.equal(
        (await (await session.waitFor(`${receipt} [data-testid=receipt-points-expiring]`)).text()).trim(),
        '其中 1 點將於 2027-05-31 到期',
      );
    });
  });
});
