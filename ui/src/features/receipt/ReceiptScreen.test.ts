import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { receipt, shopSettings } from '../../test/fixtures';
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
});
