import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n/i18n.svelte';
import { shopSettings } from '../../test/fixtures';
import type { SettingsPatch } from '../../lib/bindings/SettingsPatch';
import SetupSteps from './SetupSteps.svelte';

function renderSetup() {
  let current = shopSettings();
  const props = {
    settings: shopSettings(),
    // Like the core: each patch changes only what it names.
    updateSettings: vi.fn(async (patch: SettingsPatch) => {
      current = shopSettings({ ...current, name: patch.name ?? current.name, timeZone: patch.timeZone ?? current.timeZone });
      return current;
    }),
    addProgram: vi.fn(async (program) => ({ id: 1, active: true, ...program })),
    finishSetup: vi.fn(async () => undefined),
    onDone: vi.fn(),
  };
  render(SetupSteps, props);
  return props;
}

const step = () => screen.getByTestId('setup').getAttribute('data-step');

describe('SetupSteps', () => {
  afterEach(() => setLocale('zh-TW'));

  it('leads through name, currency, time zone and a first card, saving each as it goes', async () => {
    const props = renderSetup();
    expect(step()).toBe('name');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('setup-shop-name')));
    await fireEvent.input(screen.getByTestId('setup-shop-name'), { target: { value: '阿明茶飲' } });
    await fireEvent.click(screen.getByTestId('setup-next'));
    await waitFor(() => expect(step()).toBe('currency'));
    expect(props.updateSettings).toHaveBeenCalledWith(expect.objectContaining({ name: '阿明茶飲' }));
    await fireEvent.click(screen.getByTestId('setup-next'));
    await waitFor(() => expect(step()).toBe('timeZone'));
    await fireEvent.change(screen.getByTestId('setup-time-zone'), { target: { value: 'Asia/Hong_Kong' } });
    await fireEvent.click(screen.getByTestId('setup-next'));
    await waitFor(() => expect(step()).toBe('program'));
    expect(props.updateSettings).toHaveBeenLastCalledWith(expect.objectContaining({ timeZone: 'Asia/Hong_Kong' }));
    await fireEvent.input(screen.getByTestId('setup-program-name'), { target: { value: '飲料卡' } });
    await fireEvent.input(screen.getByTestId('setup-program-reward'), { target: { value: '任選飲品一杯' } });
    await fireEvent.click(screen.getByTestId('setup-next'));
    await waitFor(() => expect(step()).toBe('done'));
    expect(props.addProgram).toHaveBeenCalledWith(
      expect.objectContaining({ name: '飲料卡', rewardText: '任選飲品一杯', stampsNeeded: 10, earnRule: { kind: 'perItem' } }),
    );
    expect(props.finishSetup).toHaveBeenCalledOnce();
    const summary = screen.getByTestId('setup-summary').textContent;
    expect(summary).toContain('阿明茶飲');
    // The currency and the zone by name, as the settings show them.
    expect(summary).toContain('新臺幣 (TWD)');
    expect(summary).toContain('香港 (UTC+8)');
    expect(summary).not.toContain('Asia/');
    await fireEvent.click(screen.getByTestId('setup-finish'));
    expect(props.onDone).toHaveBeenCalledOnce();
  });

  it('lets every step be skipped without writing anything but the set-up mark', async () => {
    const props = renderSetup();
    for (const expected of ['name', 'currency', 'timeZone', 'program']) {
      expect(step()).toBe(expected);
      await fireEvent.click(screen.getByTestId('setup-skip'));
    }
    await waitFor(() => expect(step()).toBe('done'));
    expect(props.updateSettings).not.toHaveBeenCalled();
    expect(props.addProgram).not.toHaveBeenCalled();
    expect(props.finishSetup).toHaveBeenCalledOnce();
  });

  it('stays on a step with a translated error when the core refuses it', async () => {
    setLocale('en');
    const props = renderSetup();
    props.updateSettings.mockRejectedValueOnce({ code: 'UnknownTimeZone', message: '', details: { value: 'Mars/Base' } });
    await fireEvent.click(screen.getByTestId('setup-skip'));
    await fireEvent.click(screen.getByTestId('setup-skip'));
    await fireEvent.change(screen.getByTestId('setup-time-zone'), { target: { value: 'Asia/Hong_Kong' } });
    await fireEvent.click(screen.getByTestId('setup-next'));
    await waitFor(() => expect(screen.getByTestId('setup-error').textContent).toContain('Mars/Base'));
    expect(step()).toBe('timeZone');
  });
});
