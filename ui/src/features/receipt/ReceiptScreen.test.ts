import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { receipt, shopSettings } from '../../test/fixtures';
import type { VoidRequest } from '../../lib/bindings/VoidRequest';
import ReceiptScreen from './ReceiptScreen.svelte';

function renderScreen(overrides: Record<string, unknown> = {}) {
  const props = {
    receipt: receipt(),
    settings: shopSettings(),
    cashier: '店長',
    voidReceipt: vi.fn(async () => receipt({ number: 9, kind: 'void', voidsNumber: 7 })),
    printReceipt: vi.fn(async () => undefined),
    saveReceiptPdf: vi.fn(async () => '/tmp/receipt-7.pdf'),
    showInFolder: vi.fn(async () => undefined),
    onBack: vi.fn(),
    onVoided: vi.fn(),
    onOpenReceipt: vi.fn(),
    ...overrides,
  };
  render(ReceiptScreen, props);
  return props;
}

describe('ReceiptScreen', () => {
  afterEach(() => setLocale('zh-TW'));

  it('asks for a reason before voiding, in words, and sends nothing without one', async () => {
    const props = renderScreen();
    await fireEvent.click(screen.getByTestId('void-start'));
    await fireEvent.submit(screen.getByTestId('void-form'));
    expect(screen.getByTestId('void-error').textContent).toBe('請填寫原因。');
    expect(props.voidReceipt).not.toHaveBeenCalled();
    expect(screen.getByTestId('void-form')).toBeTruthy();
  });

  it("voids another cashier's receipt with a manager's PIN typed beside the refusal, Enter sending the same request", async () => {
    const voidReceipt = vi
      .fn()
      .mockRejectedValueOnce({ code: 'PermissionDenied', message: '', details: { act: 'void', needed: 'manager', role: 'cashier' } })
      .mockResolvedValueOnce(receipt({ number: 9, kind: 'void', voidsNumber: 7, approvedBy: '店長' }));
    const props = renderScreen({ voidReceipt, cashier: '小美' });
    await fireEvent.click(screen.getByTestId('void-start'));
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: '打錯金額' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    await waitFor(() => expect(screen.getByTestId('void-error').textContent).toBe('收銀員不能作廢收據，需要店長的權限。請店長輸入密碼核准。'));
    const pin = screen.getByTestId('approver-pin');
    await waitFor(() => expect(document.activeElement).toBe(pin));
    await fireEvent.input(pin, { target: { value: '2222' } });
    await fireEvent.keyDown(pin, { key: 'Enter' });
    await waitFor(() => expect(props.onVoided).toHaveBeenCalledOnce());
    const [[first], [second, approver]] = voidReceipt.mock.calls;
    expect(second).toEqual(first);
    expect(approver).toBe('2222');
  });

  it('closes the form and hands over the reversing receipt once voided', async () => {
    const props = renderScreen();
    await fireEvent.click(screen.getByTestId('void-start'));
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: '打錯金額' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    await waitFor(() => expect(props.onVoided).toHaveBeenCalledOnce());
    expect(props.voidReceipt).toHaveBeenCalledWith(expect.objectContaining({ receiptNumber: 7, reason: '打錯金額' }));
    expect(screen.queryByTestId('void-form')).toBeNull();
  });

  it('names the redemption that used the stamps and opens it to void first', async () => {
    const props = renderScreen({
      voidReceipt: vi.fn(async () => {
        throw {
          code: 'StampsRedeemedSince',
          message: 'the stamps of 飲料卡 on receipt 7 were redeemed since',
          details: { number: '7', program: '飲料卡', redemption: '12' },
        };
      }),
    });
    await fireEvent.click(screen.getByTestId('void-start'));
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: '刷錯人' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    const error = await screen.findByTestId('void-error');
    expect(error.textContent).toBe('不能作廢 #7：它集的飲料卡點數已在 #12 兌換掉了。請先作廢兌換單 #12，再作廢這張。');
    expect(error.textContent).not.toMatch(/stamps of/);
    await fireEvent.click(screen.getByTestId('open-redemption'));
    expect(props.onOpenReceipt).toHaveBeenCalledWith(12);
  });

  it('says in the language on screen what printing needs when there is no printing system', async () => {
    const unavailable = {
      code: 'PrinterUnavailable',
      message: 'cannot run lp: No such file or directory (os error 2)',
      details: { system: 'cups', cause: 'cupsMissing', reason: 'cannot run lp: No such file or directory (os error 2)' },
    };
    renderScreen({ printReceipt: vi.fn(async () => Promise.reject(unavailable)) });
    await fireEvent.click(screen.getByTestId('print-receipt'));
    const text = (await screen.findByTestId('output-error')).textContent ?? '';
    expect(text).toContain('列印系統無法使用');
    expect(text).toContain('sudo apt install cups cups-client');
    expect(text).not.toMatch(/os error|No such file|cannot run lp/);
  });

  it('tells a full disk and a file held open apart when a PDF cannot be saved', async () => {
    setLocale('zh-CN');
    renderScreen({
      saveReceiptPdf: vi.fn(async () => Promise.reject({ code: 'Io', message: 'No space left on device (os error 28)', details: { cause: 'diskFull' } })),
    });
    await fireEvent.click(screen.getByTestId('save-pdf'));
    expect((await screen.findByTestId('output-error')).textContent).toBe('无法读写文件。磁盘空间已满：请清出一些空间后再试。');
  });

  it('says which receipt it voided when it is the void just made', () => {
    renderScreen({ receipt: receipt({ number: 9, kind: 'void', voidsNumber: 7 }), justVoided: true });
    expect(screen.getByTestId('voided-notice').textContent?.trim()).toBe('已作廢 #7。下面是沖銷它的收據 #9。');
    expect(screen.queryByTestId('void-start')).toBeNull();
  });

  it('voids once on a double submit, keeps the form after a refusal, and sends the retry as a new attempt', async () => {
    const answers: { resolve: (r: ReturnType<typeof receipt>) => void; reject: (e: unknown) => void }[] = [];
    const voidReceipt = vi.fn(
      (_request: VoidRequest) => new Promise<ReturnType<typeof receipt>>((resolve, reject) => answers.push({ resolve, reject })),
    );
    const props = renderScreen({ voidReceipt });
    await fireEvent.click(screen.getByTestId('void-start'));
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: ' 打錯金額 ' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    await fireEvent.submit(screen.getByTestId('void-form'));
    expect(voidReceipt).toHaveBeenCalledOnce();
    expect(screen.getByTestId('void-confirm')).toHaveProperty('disabled', true);
    expect(voidReceipt.mock.calls[0][0]).toMatchObject({ receiptNumber: 7, reason: '打錯金額', cashier: '店長' });

    answers[0].reject({ code: 'AlreadyVoided', message: 'receipt 7 is already voided', details: { number: '7' } });
    expect((await screen.findByTestId('void-error')).textContent).toBe('收據 #7 已經作廢過了。');
    // The form stays with the reason typed; nothing was handed over.
    expect((screen.getByTestId('void-reason') as HTMLInputElement).value).toBe(' 打錯金額 ');
    expect(props.onVoided).not.toHaveBeenCalled();

    await fireEvent.submit(screen.getByTestId('void-form'));
    expect(voidReceipt).toHaveBeenCalledTimes(2);
    expect(voidReceipt.mock.calls[1][0].requestId).not.toBe(voidReceipt.mock.calls[0][0].requestId);
    answers[1].resolve(receipt({ number: 9, kind: 'void', voidsNumber: 7 }));
    await waitFor(() => expect(props.onVoided).toHaveBeenCalledOnce());
    expect(props.onVoided.mock.calls[0][0]).toMatchObject({ number: 9, voidsNumber: 7 });
    expect(screen.queryByTestId('void-form')).toBeNull();
  });

  it('closes the void form on Escape before going back, and a form opened again is a new attempt', async () => {
    const voidReceipt = vi.fn(async (_request: VoidRequest) => receipt({ number: 9, kind: 'void', voidsNumber: 7 }));
    const props = renderScreen({ voidReceipt });
    await fireEvent.click(screen.getByTestId('void-start'));
    expect(document.activeElement).toBe(screen.getByTestId('void-reason'));
    // A refusal shown in the form goes with it.
    await fireEvent.submit(screen.getByTestId('void-form'));
    expect(screen.getByTestId('void-error')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('void-form')).toBeNull();
    expect(props.onBack).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('void-start'));
    expect(screen.queryByTestId('void-error')).toBeNull();
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: '刷錯人' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    await waitFor(() => expect(props.onVoided).toHaveBeenCalledOnce());
    const firstId = voidReceipt.mock.calls[0][0].requestId;
    await fireEvent.click(screen.getByTestId('void-start'));
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: '刷錯人' } });
    await fireEvent.submit(screen.getByTestId('void-form'));
    await waitFor(() => expect(voidReceipt).toHaveBeenCalledTimes(2));
    expect(voidReceipt.mock.calls[1][0].requestId).not.toBe(firstId);

    // The form closed with the void: Escape now goes back.
    expect(screen.queryByTestId('void-form')).toBeNull();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(props.onBack).toHaveBeenCalledOnce();
  });

  it('offers no void for a receipt already voided, nor for a void itself', () => {
    renderScreen({ receipt: receipt({ voidedByNumber: 9 }) });
    expect(screen.queryByTestId('void-start')).toBeNull();
    cleanup();
    renderScreen({ receipt: receipt({ number: 9, kind: 'void', voidsNumber: 7 }) });
    expect(screen.queryByTestId('void-start')).toBeNull();
    cleanup();
    renderScreen();
    expect(screen.getByTestId('void-start')).toBeTruthy();
  });
});

