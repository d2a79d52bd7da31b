/**
 * How long a quick-login token is good for (protocol.md §12.11, decisions.md §16): the token 30
 * minutes, the Alipay login state behind it 10 minutes. A payment request carrying a live token
 * skips the cashier's login while the login state lasts.
 * @example const expired = Date.now() > customer.tokenReceivedAt + TOKEN_VALIDITY_MS;
 */
export const TOKEN_VALIDITY_MS = 30 * 60_000;

/**
 * The login state behind a token: 10 minutes (protocol.md §12.11). Past it, a payment with a live
 * token still asks the buyer to log in at the cashier.
 * @example const skipsLogin = Date.now() < loggedInAt + LOGIN_STATE_VALIDITY_MS;
 */
export const LOGIN_STATE_VALIDITY_MS = 10 * 60_000;

/**
 * When a token received at `receivedAt` (epoch ms) stops being valid.
 * @example tokenExpiresAt(0) // 1800000
 */
export function tokenExpiresAt(receivedAt: number): number {
  return receivedAt + TOKEN_VALIDITY_MS;
}
