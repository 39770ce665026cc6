import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { session, shopSettings, staffList } from '../../test/fixtures';
import WelcomePanel from './WelcomePanel.svelte';

function props(overrides: Record<string, unknown> = {}) {
  return {
    settings: shopSettings(),
    seedDemoData: vi.fn(async () => 36),
    updateSettings: vi.fn(async () => shopSettings()),
    addProgram: vi.fn(),
    finishSetup: vi.fn(async () => undefined),
    createFirstOwner: vi.fn(async (name: string) => session({ name })),
    listStaff: vi.fn(async () => staffList()),
    onOwnerCreated: vi.fn(),
    onDone: vi.fn(),
    ...overrides,
  };
}

describe('WelcomePanel', () => {
  afterEach(() => setLocale('zh-TW'));

  it('loads demo data, shows its staff with their PINs, then goes on to sign in', async () => {
    const seedDemoData = vi.fn(async () => 36);
    const onDone = vi.fn();
    render(WelcomePanel, props({ seedDemoData, onDone }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(screen.getByTestId('demo-pins')).toBeTruthy());
    expect(seedDemoData).toHaveBeenCalledWith('zhTw');
    expect(screen.getByTestId('demo-pins').textContent).toContain('已載入 36 位示範會員');
    const rows = screen.getAllByTestId('demo-login').map((row) => row.textContent);
    expect(rows).toEqual(['老闆老闆1111', '店長店長2222', '小美收銀員3333', '阿哲收銀員4444']);
    expect(onDone).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('demo-continue'));
    expect(onDone).toHaveBeenCalledWith(36, expect.arrayContaining([{ name: '店長', role: 'manager', pin: '2222' }]));
  });

  it('names the demo shop in the language on screen', async () => {
    setLocale('en');
    const seedDemoData = vi.fn(async () => 36);
    render(WelcomePanel, props({ seedDemoData }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(seedDemoData).toHaveBeenCalledWith('en'));
  });

  it('starts the setup of an empty shop from the focused choice, without seeding', async () => {
    const seedDemoData = vi.fn(async () => 36);
    const onDone = vi.fn();
    const finishSetup = vi.fn(async () => undefined);
    const createFirstOwner = vi.fn(async (name: string) => session({ name }));
    const onOwnerCreated = vi.fn();
    render(WelcomePanel, props({ seedDemoData, onDone, finishSetup, createFirstOwner, onOwnerCreated }));
    // Enter on the welcome starts one's own shop, the choice a real shop makes.
    expect(document.activeElement).toBe(screen.getByTestId('start-empty'));
    await fireEvent.click(screen.getByTestId('start-empty'));
    // The owner's account comes first: a name and the PIN twice.
    await fireEvent.input(screen.getByTestId('owner-name'), { target: { value: ' 阿明 ' } });
    await fireEvent.input(screen.getByTestId('owner-pin'), { target: { value: '2580' } });
    await fireEvent.input(screen.getByTestId('owner-pin-again'), { target: { value: '2581' } });
    await fireEvent.click(screen.getByTestId('owner-create'));
    expect(screen.getByTestId('owner-problem').textContent).toBe('兩次輸入的密碼不一樣。');
    expect(createFirstOwner).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('owner-pin-again'), { target: { value: '2580' } });
    await fireEvent.click(screen.getByTestId('owner-create'));
    await waitFor(() => expect(onOwnerCreated).toHaveBeenCalledWith(session({ name: '阿明' })));
    expect(createFirstOwner).toHaveBeenCalledWith('阿明', '2580');
    expect(screen.getByTestId('setup').getAttribute('data-step')).toBe('name');
    for (let i = 0; i < 4; i += 1) await fireEvent.click(screen.getByTestId('setup-skip'));
    await waitFor(() => expect(finishSetup).toHaveBeenCalledOnce());
    await fireEvent.click(screen.getByTestId('setup-finish'));
    expect(onDone).toHaveBeenCalledWith(0);
    expect(seedDemoData).not.toHaveBeenCalled();
  });

  it('shows a translated error when seeding fails', async () => {
    const seedDemoData = vi.fn(async () => {
      throw { code: 'StoreUnavailable', message: 'disk full' };
    });
    render(WelcomePanel, props({ seedDemoData }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('無法開啟資料庫。'));
  });

  it('says so in words when the database already holds a shop', async () => {
    const seedDemoData = vi.fn(async () => Promise.reject({ code: 'ShopNotEmpty', message: 'the shop already has data', details: {} }));
    render(WelcomePanel, props({ seedDemoData }));
    await fireEvent.click(screen.getByTestId('load-demo'));
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('這個資料庫已經有資料，示範資料只能載入到全新的資料庫。'));
  });
});
