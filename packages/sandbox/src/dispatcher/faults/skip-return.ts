import type { Fault } from './fault.js';

/**
 * The buyer's browser never goes back to the merchant: the cashier's success page neither
 * redirects to return_url nor links to it, as when the buyer closes it (protocol.md §12.1, §12.14);
 * the notification goes as usual. It acts in the cashier, once per payment made there
 * (decisions.md §28), so the dispatcher passes it by.
 */
export const skipReturn = {
  kind: 'skip_return',
  actsIn: 'cashier',
} as const satisfies Fault;
