// How every form sends a write: busy while the core works (a second submit
// meanwhile is ignored), the core's error kept to show, and one request id
// per attempt. The id changes when what the form would send changes, and
// after a rejected attempt (it wrote nothing, so the next one is new); the
// same attempt sent twice carries the same id, so the core replays it and
// never writes twice. A write refused for the signed-in role keeps its id:
// it is sent again, with a manager's PIN, as the same attempt.
import type { BackendError } from './types';
import { newRequestId } from './input';

export interface SubmitOptions {
  /**
   * Keep the form's one id after a rejection too (the contact form: one
   * contact per open form, however often it is sent).
   */
  oneIdPerForm?: boolean;
}

export class Submit {
  busy = $state(false);
  error = $state<BackendError | null>(null);
  #requestId = newRequestId();
  readonly #renewOnFailure: boolean;

  constructor(options: SubmitOptions = {}) {
    this.#renewOnFailure = !options.oneIdPerForm;
  }

  /** The id the next attempt is sent with. */
  get requestId(): string {
    return this.#requestId;
  }

  /** What the form would send changed: the old error goes, the next attempt is a new one. */
  changed(): void {
    this.error = null;
    this.#requestId = newRequestId();
  }

  /** A new id for the next attempt, the error left as it is (after a write the form stays open for). */
  renew(): void {
    this.#requestId = newRequestId();
  }

  /**
   * Sends one attempt: `attempt` gets the request id and does the rest
   * (calling the core, closing the form). Ignored while one is in flight;
   * a rejection is kept in `error`. Resolves whether it was sent and done.
   */
  async run(attempt: (requestId: string) => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await attempt(this.#requestId);
      return true;
    } catch (cause) {
      this.error = cause as BackendError;
      const refused = (cause as BackendError | null)?.code === 'PermissionDenied';
      if (this.#renewOnFailure && !refused) this.#requestId = newRequestId();
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** A form's submit state; see `Submit`. */
export function createSubmit(options: SubmitOptions = {}): Submit {
  return new Submit(options);
}

/** A window keydown handler that runs `action` on Escape (cancel, back) and nothing else. */
export function onEscape(action: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      action();
    }
  };
}
