/**
 * The fields the payment requests share (protocol.md §4.1–§4.3), with the same defaults: keys are
 * the wire names, so the official docs apply as written.
 */
export interface TradeInputBase {
  /** Your order number, unique per partner (≤ 64). */
  out_trade_no: string;
  /** The order title (≤ 256, i.e. 128 Chinese characters). */
  subject: string;
  /** Default `config.notifyUrl`. */
  notify_url?: string;
  /** Default `config.returnUrl`. */
  return_url?: string;
  /** Default `config.sellerId` (the partner id). */
  seller_id?: string;
  /** Default `config.sellerEmail`. */
  seller_email?: string;
  seller_account_name?: string;
  buyer_id?: string;
  buyer_email?: string;
  buyer_account_name?: string;
  body?: string;
  show_url?: string;
  /** Filled from `query_timestamp` when `config.antiPhishing` is on. */
  anti_phishing_key?: string;
  /** The buyer's IP, required when the account's IP check is on. */
  exter_invoke_ip?: string;
  /** Echoed back in the return and notification (≤ 100, no `=` or `&`). */
  extra_common_param?: string;
  /** Unpaid timeout `1m`–`15d` or `1c`; needs the custom-timeout feature. */
  it_b_pay?: string;
  /** The quick-login token, so a logged-in buyer skips the cashier login. */
  token?: string;
}
