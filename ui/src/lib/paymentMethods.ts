// The shop's payment methods as the screens show and send them. A method
// without a name reads as its kind's own word (現金 / 现金 / Cash).
import { tOr } from '../i18n/i18n.svelte';
import type { PaymentMethod } from './bindings/PaymentMethod';
import type { ShopPaymentMethod } from './bindings/ShopPaymentMethod';

/** What a method is called on screen: its name, or its kind's word. */
export function methodLabel(method: { kind?: PaymentMethod; method?: PaymentMethod; name?: string; methodName?: string }): string {
  const name = method.name ?? method.methodName ?? '';
  const kind = method.kind ?? method.method ?? 'other';
  return name !== '' ? name : tOr(`payment.${kind}`, kind);
}

/** The methods the counter offers (those turned on), in the owner's order. */
export function activeMethods(methods: ShopPaymentMethod[]): ShopPaymentMethod[] {
  return methods.filter((m) => m.active);
}

/** The request's fields for paying by `methodId` (the first method on when it is not among them). */
export function paidBy(methods: ShopPaymentMethod[], methodId: number | null): { method: PaymentMethod; methodId?: number } {
  const chosen = methods.find((m) => m.id === methodId && m.active) ?? activeMethods(methods)[0];
  return chosen ? { method: chosen.kind, methodId: chosen.id } : { method: 'cash' };
}
