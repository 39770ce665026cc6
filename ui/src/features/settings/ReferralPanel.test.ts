import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend, offer } from '../../test/fixtures';
import ReferralPanel from './ReferralPanel.svelte';

function setup(overrides = {}) {
  const backend = fakeBackend({ listOffers: vi.fn(async () => [offer({ id: 4, name: '推薦禮 50 元' })]), ...overrides });
  render(ReferralPanel, { backend, money: (m: number) => `$${m}` });
  return backend;
}

describe('The referral reward', () => {
  it('gives a coupon of an offer, or points, and sends only the chosen kind', async () => {
    const backend = setup();
    await waitFor(() => expect(backend.referralSettings).toHaveBeenCalled());
    await fireEvent.change(screen.getByTestId('referral-kind'), { target: { value: 'coupon' } });
    await fireEvent.change(await screen.findByTestId('referral-offer'), { target: { value: '4' } });
    await fireEvent.click(screen.getByTestId('referral-save'));
    await waitFor(() =>
      expect(backend.setReferralSettings).toHaveBeenLastCalledWith({ kind: 'coupon', offerId: 4, points: 0, programId: null, stamps: 0 }),
    );
    await fireEvent.change(screen.getByTestId('referral-kind'), { target: { value: 'points' } });
    await fireEvent.input(await screen.findByTestId('referral-points'), { target: { value: '５０' } });
    await fireEvent.click(screen.getByTestId('referral-save'));
    await waitFor(() =>
      expect(backend.setReferralSettings).toHaveBeenLastCalledWith({ kind: 'points', offerId: null, points: 50, programId: null, stamps: 0 }),
    );
    expect(await screen.findByTestId('referral-saved')).toBeTruthy();
  });

  it('refuses points that are not a whole number before asking the core', async () => {
    const backend = setup();
    await waitFor(() => expect(backend.referralSettings).toHaveBeenCalled());
    await fireEvent.change(screen.getByTestId('referral-kind'), { target: { value: 'points' } });
    await fireEvent.input(await screen.findByTestId('referral-points'), { target: { value: '五十' } });
    await fireEvent.click(screen.getByTestId('referral-save'));
    expect(screen.getByTestId('referral-error').textContent).toContain('推薦獎勵的積分');
    expect(backend.setReferralSettings).not.toHaveBeenCalled();
  });
});
