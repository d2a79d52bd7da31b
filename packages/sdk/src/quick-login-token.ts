/**
 * How long a quick-login token is good for (seed 002 §4 "这个 token 的有效时间为 30 分钟";
 * decisions.md §16): the token 30 minutes, the Alipay login state behind it 10 minutes. A payment
 * request carrying a live token skips the cashier's login while the login state lasts.
 */
export const TOKEN_VALIDITY_MS = 30 * 60_000;

/** The login state behind a token (seed 002 §4: "该状态的有效时间为 10 分钟"). */
export const LOGIN_STATE_VALIDITY_MS = 10 * 60_000;

/**
 * When a token received at `receivedAt` (epoch ms) stops being valid.
 * @example tokenExpiresAt(0) // 1800000
 */
export function tokenExpiresAt(receivedAt: number): number {
  return receivedAt + TOKEN_VALIDITY_MS;
}
