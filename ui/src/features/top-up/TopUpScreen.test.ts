import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { HKD, memberCard, paymentMethods, receipt } from '../../test/fixtures';
import type { BonusRule } from '../../lib/bindings/BonusRule';
import type { Receipt } from '../../lib/bindings/Receipt';
import type { TopUpRequest } from '../../lib/bindings/TopUpRequest';
import TopUpScreen from './TopUpScreen.svelte';

// Pay 1,000 and get 100 more; pay 2,000 and get 300 more plus 1 %.
const RULES: BonusRule[] = [
  { id: 1, minPaidMinor: 1000, bonusMinor: 100, bonusBp: 0 },
  { id: 2, minPaidMinor: 2000, bonusMinor: 300, bonusBp: 100 },
];

function renderTopUp(overrides: Record<string, unknown> = {}) {
  const props = {
    card: memberCard(),
    bonusRules: RULES,
    methods: paymentMethods(),
    cashier: '店長',
    topUpWallet: vi.fn(async (_request: TopUpRequest): Promise<Receipt> => receipt({ number: 21, kind: 'topUp' })),
    onDone: vi.fn(),
    onCancel: vi.fn(),
    ...overrides,
  };
  render(TopUpScreen, props);
  return props;
}

async function type(text: string) {
  await fireEvent.input(screen.getByTestId('top-up-amount'), { target: { value: text } });
}

/** A call the test answers by hand. */
function held() {
  let answer: { resolve: (r: Receipt) => void; reject: (e: unknown) => void } | undefined;
  const call = vi.fn(
    (_request: TopUpRequest) =>
      new Promise<Receipt>((resolve, reject) => {
        answer = { resolve, reject };
      }),
  );
  return { call, resolve: (r: Receipt) => answer?.resolve(r), reject: (e: unknown) => answer?.reject(e) };
}

describe('TopUpScreen', () => {
  afterEach(() => setLocale('zh-TW'));

  it('shows the bonus the shop gives and the balance after, as the amount is typed', async () => {
    renderTopUp();
    const preview = screen.getByTestId('top-up-preview');
    await type('999');
    // Below every rule: no bonus.
    expect(preview.textContent).toMatch(/付 \$999，送 \$0，儲值後餘額 \$2,199/);
    await type('1,000');
    expect(preview.textContent).toMatch(/付 \$1,000，送 \$100，儲值後餘額 \$2,300/);
    // The highest rule reached applies, not both: 300 + 1 % of 2,500.
    await type('2500');
    expect(preview.textContent).toMatch(/付 \$2,500，送 \$325，儲值後餘額 \$4,025/);
    // The rules reached are marked in the list of the shop's rules (the 1 % counted on the threshold).
    const reached = screen.getByTestId('bonus-rules').querySelectorAll('li.reached');
    expect(Array.from(reached, (li) => li.textContent)).toEqual(['付 $1,000 → 得 $1,100', '付 $2,000 → 得 $2,320']);
  });

  it('sends the amount in minor units with the method chosen, then hands over the receipt', async () => {
    const card = memberCard({ currency: HKD, wallet: { paidMinor: 0, bonusMinor: 0, totalMinor: 0 } });
    const props = renderTopUp({ card, bonusRules: [] });
    await type('１２.５');
    await fireEvent.click(screen.getAllByTestId('method-choice')[1]);
    await fireEvent.click(screen.getByTestId('confirm-top-up'));
    await waitFor(() => expect(props.onDone).toHaveBeenCalledOnce());
    expect(props.topUpWallet).toHaveBeenCalledOnce();
    expect(props.topUpWallet.mock.calls[0][0]).toMatchObject({
      memberId: 1,
      paidMinor: 1250,
      method: 'card',
      methodId: 2,
      cashier: '店長',
    });
    expect(props.onDone.mock.calls[0][0].number).toBe(21);
  });

  it('tops up once on a double Enter, and a new attempt after a refusal has a new request id', async () => {
    const backend = held();
    const props = renderTopUp({ topUpWallet: backend.call });
    await type('500');
    const form = screen.getByTestId('confirm-top-up').closest('form')!;
    await fireEvent.submit(form);
    await fireEvent.submit(form);
    expect(backend.call).toHaveBeenCalledOnce();
    expect(screen.getByTestId('confirm-top-up')).toHaveProperty('disabled', true);
    backend.reject({ code: 'MemberArchived', message: 'member M0001 is archived', details: { memberNo: 'M0001' } });
    expect(await screen.findByTestId('top-up-error')).toHaveProperty('textContent', '會員 M0001 已封存。');
    expect(props.onDone).not.toHaveBeenCalled();

    await fireEvent.submit(form);
    expect(backend.call).toHaveBeenCalledTimes(2);
    const [first, second] = backend.call.mock.calls.map(([request]) => request.requestId);
    expect(second).not.toBe(first);
    backend.resolve(receipt({ number: 22, kind: 'topUp' }));
    await waitFor(() => expect(props.onDone).toHaveBeenCalledOnce());
  });

  it('sends the same attempt with the same request id, and a changed amount with a new one', async () => {
    const ids: string[] = [];
    const topUpWallet = vi.fn(async (request: TopUpRequest) => {
      ids.push(request.requestId);
      return receipt({ number: 23, kind: 'topUp' });
    });
    renderTopUp({ topUpWallet });
    await type('500');
    const form = screen.getByTestId('confirm-top-up').closest('form')!;
    await fireEvent.submit(form);
    await waitFor(() => expect(ids).toHaveLength(1));
    // Sent again as it was (the screen not yet gone): the core replays the first.
    await fireEvent.submit(form);
    await waitFor(() => expect(ids).toHaveLength(2));
    expect(ids[1]).toBe(ids[0]);
    await type('600');
    await fireEvent.submit(form);
    await waitFor(() => expect(ids).toHaveLength(3));
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('says an amount it cannot read under the box, and Escape goes back', async () => {
    const props = renderTopUp();
    await type('12元');
    expect(screen.getByText('請輸入金額，例如 150')).toBeTruthy();
    expect(screen.getByTestId('top-up-amount').getAttribute('aria-invalid')).toBe('true');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(props.onCancel).toHaveBeenCalledOnce();
  });
});
