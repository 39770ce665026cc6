// The coupons on a checkout and the discount the core quotes for them:
// codes are kept only when the core accepts them all for the sale as it
// stands, and a changed sale is quoted again (a minimum spend may no
// longer hold). The UI computes no discount itself.
import { untrack } from 'svelte';
import type { CouponsQuote } from '../../lib/bindings/CouponsQuote';
import type { LineInput } from '../../lib/bindings/LineInput';
import type { ProgramStamps } from '../../lib/bindings/ProgramStamps';
import type { BackendError } from '../../lib/types';

/** The sale as the quote sees it: the items' total and its lines. */
export interface QuotedSale {
  grossMinor: number;
  lines: LineInput[];
}

const NOTHING: CouponsQuote = { discountMinor: 0, freeStampItems: 0, extraStamps: [] };

export class CouponQuote {
  codes = $state<string[]>([]);
  /** What the coupons take off, as the core quoted it. */
  discountMinor = $state(0);
  /** Stamp-earning items the coupons give free, and the stamps they add (the stamps preview). */
  freeStampItems = $state(0);
  extraStamps = $state<ProgramStamps[]>([]);
  /**
   * Why the core refused the coupons; the sale cannot be confirmed
   * meanwhile, so a customer who meant to use a coupon is never charged in
   * full by a stray Enter.
   */
  error = $state<BackendError | null>(null);
  /** Whether the refusal was of a code being added (the codes kept are still good), which the cashier may put aside. */
  dismissable = $state(false);
  checking = $state(false);
  readonly #ask: (codes: string[], grossMinor: number, lines: LineInput[]) => Promise<CouponsQuote>;
  readonly #resolve: (typed: string) => Promise<string>;
  readonly #sale: () => QuotedSale;
  readonly #changed: () => void;

  /** Call while a component starts: it watches the sale and quotes again when it changes. */
  constructor(
    ask: (codes: string[], grossMinor: number, lines: LineInput[]) => Promise<CouponsQuote>,
    resolve: (typed: string) => Promise<string>,
    sale: () => QuotedSale,
    changed: () => void,
  ) {
    this.#ask = ask;
    this.#resolve = resolve;
    this.#sale = sale;
    this.#changed = changed;
    $effect(() => {
      const current = this.#sale();
      untrack(() => {
        if (this.codes.length > 0) void this.#quote([...this.codes], current, false);
      });
    });
  }

  /** Tries `next` as the sale's codes; resolves whether the core accepted them. */
  set(next: string[]): Promise<boolean> {
    return this.#quote(next, this.#sale(), true);
  }

  /**
   * Adds a code as typed or scanned: the core reads it (any case or width)
   * and names it by its printed code, so a listed coupon typed is ticked.
   */
  async addTyped(typed: string): Promise<boolean> {
    this.checking = true;
    let code: string;
    try {
      code = await this.#resolve(typed);
    } catch (cause) {
      this.error = cause as BackendError;
      this.dismissable = true;
      this.checking = false;
      this.#changed();
      return false;
    }
    return this.set(this.codes.includes(code) ? this.codes : [...this.codes, code]);
  }

  /** Puts aside the refusal of a code being added: the sale goes on with the codes kept. */
  dismiss(): void {
    if (!this.dismissable) return;
    this.error = null;
    this.dismissable = false;
  }

  async #quote(next: string[], sale: QuotedSale, adding: boolean): Promise<boolean> {
    this.checking = true;
    try {
      const quote = next.length === 0 ? NOTHING : await this.#ask(next, sale.grossMinor, sale.lines);
      const now = this.#sale();
      // The sale changed while the core answered: quote the sale as it is now.
      if (now.grossMinor !== sale.grossMinor || JSON.stringify(now.lines) !== JSON.stringify(sale.lines)) {
        return this.#quote(next, now, adding);
      }
      this.codes = next;
      this.discountMinor = quote.discountMinor;
      this.freeStampItems = quote.freeStampItems;
      this.extraStamps = quote.extraStamps;
      this.error = null;
      this.dismissable = false;
      return true;
    } catch (cause) {
      this.error = cause as BackendError;
      this.dismissable = adding;
      return false;
    } finally {
      this.checking = false;
      this.#changed();
    }
  }
}
