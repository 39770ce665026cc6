// The app without its markup: which screen shows, the shop's settings and
// lists every screen reads, and the moves between screens (open a card, a
// receipt, back to the search after a sale). App.svelte renders it.
import { tick } from 'svelte';
import { RECEIPT_LANGUAGE, getLocale, t } from './i18n/i18n.svelte';
import { newRequestId } from './lib/input';
import { formatMoney } from './lib/money';
import type { BonusRule } from './lib/bindings/BonusRule';
import type { MemberCard } from './lib/bindings/MemberCard';
import type { MemberLookup } from './lib/bindings/MemberLookup';
import type { Product } from './lib/bindings/Product';
import type { Receipt } from './lib/bindings/Receipt';
import type { ShopPaymentMethod } from './lib/bindings/ShopPaymentMethod';
import type { ShopSettings } from './lib/bindings/ShopSettings';
import type { StampProgram } from './lib/bindings/StampProgram';
import type { TagCount } from './lib/bindings/TagCount';
import type { AuditBreak } from './lib/bindings/AuditBreak';
import type { PinPadState } from './lib/bindings/PinPadState';
import type { Session } from './lib/bindings/Session';
import type { StaffPolicy } from './lib/bindings/StaffPolicy';
import type { Act } from './lib/bindings/Act';
import type { Role } from './lib/bindings/Role';
import type { Backend, BackendError } from './lib/types';
import { IdleLock, type DemoLogin } from './features/staff/pin';
import { roleMay } from './features/settings/rights';

export type Screen =
  | { kind: 'loading' }
  | { kind: 'failed'; error: BackendError }
  | { kind: 'welcome' }
  /** The till is locked: a staff member's PIN opens it. */
  | { kind: 'pin' }
  /** A shop in use with no staff account yet: the owner's comes first. */
  | { kind: 'firstOwner' }
  | { kind: 'lookup' }
  | { kind: 'card'; card: MemberCard; notice?: string }
  | { kind: 'checkout'; card: MemberCard }
  | { kind: 'topUp'; card: MemberCard }
  | { kind: 'wallet'; mode: 'refund' | 'adjust'; card: MemberCard }
  | { kind: 'receipt'; receipt: Receipt; card: MemberCard | null; justVoided?: boolean }
  | { kind: 'register'; prefill: { name: string; phone: string } }
  | { kind: 'settings' }
  | { kind: 'owner' }
  | { kind: 'dayClose' }
  | { kind: 'edit'; card: MemberCard; knownTags: TagCount[] };

const CASHIER_KEY = 'regulars.cashier';

function loadCashier(): string {
  try {
    return globalThis.localStorage?.getItem(CASHIER_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Loads a module once, when first asked, and keeps it. */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}

export class AppState {
  screen = $state<Screen>({ kind: 'loading' });
  settings = $state<ShopSettings | null>(null);
  programs = $state<StampProgram[]>([]);
  bonusRules = $state<BonusRule[]>([]);
  products = $state<Product[]>([]);
  paymentMethods = $state<ShopPaymentMethod[]>([]);
  lastQuery = $state('');
  lastReceipt = $state<Receipt | null>(null);
  notice = $state('');
  actionError = $state<BackendError | null>(null);
  cashier = $state(loadCashier());
  /** Who is signed in (a shop with staff accounts), or `null`. */
  session = $state<Session | null>(null);
  /** The owner's limits and the rights taken from a role, read at sign-in. */
  policy = $state<StaffPolicy | null>(null);
  /** The PIN pad's lock as the core last reported it, and the app's time then. */
  pad = $state<{ lock: PinPadState; now: number } | undefined>();
  /** The demo's staff and PINs, shown on the PIN pad after the demo was loaded. */
  demoLogins = $state<DemoLogin[]>([]);
  /** A break in the audit log's chain, shown to the owner. */
  auditBreak = $state<AuditBreak | null>(null);
  readonly #idle = new IdleLock(() => void this.lock());

  /** The name on receipts: who is signed in, else the one set on this till, else a neutral default. */
  cashierName = $derived(this.session?.name ?? (this.cashier.trim() || t('app.defaultCashier')));
  money = $derived((minor: number) => (this.settings ? formatMoney(minor, this.settings.currency, getLocale()) : String(minor)));
  /** Past the start: the nav and the search are there. */
  ready = $derived(!['loading', 'failed', 'welcome', 'pin', 'firstOwner'].includes(this.screen.kind));

  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  setCashier = (name: string) => {
    this.cashier = name;
    try {
      globalThis.localStorage?.setItem(CASHIER_KEY, name);
    } catch {
      // Not fatal: the name is just not remembered.
    }
  };

  loadShop = async () => {
    const backend = this.#backend;
    const [loaded, loadedPrograms, loadedRules, loadedProducts, loadedMethods] = await Promise.all([
      backend.getSettings(),
      backend.listPrograms(),
      backend.listBonusRules(),
      backend.listProducts(false),
      backend.listPaymentMethods(),
    ]);
    this.settings = loaded;
    this.paymentMethods = loadedMethods;
    this.programs = loadedPrograms;
    this.bonusRules = loadedRules;
    this.products = loadedProducts;
  };

  start = async () => {
    this.#idle.stop();
    this.screen = { kind: 'loading' };
    try {
      // The welcome belongs to a new database only: once the shop is set up
      // (demo data, or the setup steps done or skipped) it never returns.
      // Once the shop has staff accounts it opens on the PIN pad; a shop in
      // use without any is asked for the owner's account first.
      const [, setUp, staff] = await Promise.all([this.loadShop(), this.#backend.isShopSetUp(), this.#backend.staffState()]);
      this.pad = { lock: staff.pinPad, now: staff.now };
      this.session = staff.session;
      if (!setUp) this.screen = { kind: 'welcome' };
      else if (!staff.hasStaff) this.screen = { kind: 'firstOwner' };
      else if (!staff.session) this.screen = { kind: 'pin' };
      else await this.signedIn(staff.session);
    } catch (error) {
      this.screen = { kind: 'failed', error: error as BackendError };
    }
  };

  /** A staff member signed in (or the first owner was made): the counter opens, the idle lock starts. */
  signedIn = async (session: Session) => {
    this.session = session;
    this.actionError = null;
    this.screen = { kind: 'lookup' };
    // The lock and the log's check are helpers: the till works without them.
    const policy = await this.#backend.getStaffPolicy().catch(() => null);
    this.policy = policy;
    this.#idle.start(policy?.idleLockMinutes ?? 0);
    this.auditBreak = session.role === 'owner' ? await this.#backend.verifyAudit().catch(() => null) : null;
  };

  /** Switch user, or idle too long: the session ends and the PIN pad shows. */
  lock = async () => {
    this.#idle.stop();
    await this.#backend.signOut().catch(() => undefined);
    this.session = null;
    this.auditBreak = null;
    const staff = await this.#backend.staffState().catch(() => null);
    this.pad = staff ? { lock: staff.pinPad, now: staff.now } : undefined;
    if (this.ready || this.screen.kind === 'pin') this.screen = { kind: 'pin' };
  };

  /** The owner changed the staff limits: the idle lock follows its new minutes. */
  policyChanged = (policy: StaffPolicy) => {
    this.policy = policy;
    this.#idle.start(policy.idleLockMinutes);
  };

  /**
   * Whether the signed-in staff member may open what needs `role` and, when
   * the owner can take it away, `act` (a shop without staff accounts: yes).
   * Only to show or hide a way in; the core refuses what the role may not do.
   */
  may = (role: Role, act?: Act): boolean => {
    if (!this.session) return true;
    const order: Role[] = ['cashier', 'manager', 'owner'];
    if (order.indexOf(this.session.role) < order.indexOf(role)) return false;
    return !act || roleMay(this.policy?.denied ?? [], act, this.session.role);
  };

  /** Any key or pointer press: the idle lock starts counting again. */
  touch = () => this.#idle.touch();

  findMembers = async (query: string): Promise<MemberLookup> => {
    this.lastQuery = query;
    return this.#backend.findMembers(query, 20);
  };

  showCard = async (memberId: number, notice?: string) => {
    this.actionError = null;
    try {
      const card = await this.#backend.getMemberCard(memberId);
      this.screen = { kind: 'card', card, notice };
    } catch (error) {
      this.actionError = error as BackendError;
    }
  };

  openReceipt = async (number: number, card: MemberCard | null) => {
    this.actionError = null;
    try {
      const receipt = await this.#backend.getReceipt(number);
      this.screen = { kind: 'receipt', receipt, card };
    } catch (error) {
      this.actionError = error as BackendError;
    }
  };

  printReceipt = (number: number) => this.#backend.printReceipt(number, RECEIPT_LANGUAGE[getLocale()]);
  saveReceiptPdf = (number: number) => this.#backend.saveReceiptPdf(number, RECEIPT_LANGUAGE[getLocale()]);

  /** After a sale or top-up: the receipt beside the search, the search focused for the next customer. */
  afterMoneyMoved = (receipt: Receipt) => {
    this.lastReceipt = receipt;
    this.lastQuery = '';
    this.notice = '';
    this.actionError = null;
    this.screen = { kind: 'lookup' };
    if (this.settings?.autoPrint) {
      // Printing runs in the background; a failure shows, the sale stands.
      this.printReceipt(receipt.number).catch((error: BackendError) => (this.actionError = error));
    }
  };

  redeemNow = async (card: MemberCard, programId: number) => {
    this.actionError = null;
    try {
      const receipt = await this.#backend.redeemReward({
        requestId: newRequestId(),
        memberId: card.member.id,
        programId,
        cashier: this.cashierName,
        note: '',
      });
      this.lastReceipt = receipt;
      const rewards = receipt.stamps
        .filter((s) => s.redeemed > 0)
        .map((s) => s.rewardText)
        .join(t('card.listSeparator'));
      await this.showCard(card.member.id, t('card.redeemedNotice', { reward: rewards, number: receipt.number }));
    } catch (error) {
      this.actionError = error as BackendError;
    }
  };

  /** Archives or restores the member; the card shows the result. A failure throws to the card. */
  setArchived = async (card: MemberCard, archived: boolean) => {
    await this.#backend.setMemberArchived(card.member.id, archived);
    await this.showCard(card.member.id);
  };

  /** Erases a member's details (the owner's); the card shows them erased. */
  eraseMember = async (card: MemberCard, forfeit: boolean, requestId: string) => {
    const erased = await this.#backend.eraseMember(card.member.id, forfeit, requestId, RECEIPT_LANGUAGE[getLocale()]);
    await this.showCard(erased.id, t('card.erase.done', { memberNo: erased.memberNo }));
  };

  /** After a restore every figure may differ: start again from the restored data. */
  afterRestore = async (savedPath: string) => {
    this.lastReceipt = null;
    this.lastQuery = '';
    await this.start();
    this.notice = t('backup.restored', { path: savedPath });
  };

  startEdit = async (card: MemberCard) => {
    // The tags in use are a suggestion; the form works without them.
    const knownTags = await this.#backend.ownerTags().catch(() => []);
    this.screen = { kind: 'edit', card, knownTags };
  };

  goToLookup = async () => {
    const screen = this.screen;
    if (!this.ready) return;
    if (screen.kind !== 'lookup') this.screen = { kind: 'lookup' };
    await tick();
    const search = document.getElementById('search') as HTMLInputElement | null;
    search?.focus();
    search?.select();
  };

  welcomeDone = async (seededCount: number, logins: DemoLogin[] = []) => {
    this.notice = seededCount > 0 ? t('welcome.loaded', { count: seededCount }) : t('setup.ready');
    this.demoLogins = logins;
    // The shop's name, programs and menu as the welcome left them.
    await this.loadShop().catch(() => undefined);
    // The demo's staff sign in on the PIN pad; a new shop's owner is signed in already.
    if (this.session) await this.signedIn(this.session);
    else this.screen = { kind: 'pin' };
  };
}
