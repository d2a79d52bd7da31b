/**
 * What happens in a sandbox, one item at a time, as the terminal, `listen` and the live dashboard
 * show it. Snake_case and wire formats as in the test API: these items are also the JSON lines of
 * `--log json` and `listen --json`, and the data of the `/sandbox/api/activity` event stream.
 * Times are the sandbox's clock: `at` in epoch ms, `time` in Beijing time (yyyy-MM-dd HH:mm:ss).
 */

/** A request to `/gateway.do` (or the legacy notify_query URL), seen by this process. */
export interface RequestActivity {
  type: 'request';
  at: number;
  time: string;
  method: string;
  service: string | null;
  partner: string | null;
  out_trade_no: string | null;
  /** The trade a payment request opened (from the cashier redirect), when it did. */
  trade_no: string | null;
  /** `OK`, the gateway's error code (`ILLEGAL_SIGN`…), or notify_verify's answer (`true`, `false`, `invalid`). */
  result: string;
  http_status: number;
  duration_ms: number;
}

/** A trade changed (a row of trade_events). */
export interface TradeActivity {
  type: 'trade';
  id: number;
  at: number;
  time: string;
  trade_no: string;
  out_trade_no: string;
  partner: string;
  actor: string;
  kind: string;
  from_status: string | null;
  to_status: string;
  refund_status: string | null;
}

/** A delivery attempt of a notification ended (a row of delivery_attempts). */
export interface AttemptActivity {
  type: 'attempt';
  id: number;
  /** When the attempt started. */
  at: number;
  time: string;
  notification_id: number;
  number: number;
  trade_no: string | null;
  batch_no: string | null;
  out_trade_no: string | null;
  partner: string;
  notify_type: string;
  /** What the notification says: its trade_status and refund_status. */
  trade_status: string | null;
  refund_status: string | null;
  url: string;
  http_status: number | null;
  response_body: string | null;
  error: string | null;
  warning: string | null;
  fault: string | null;
  duration_ms: number | null;
  acknowledged: boolean;
  /** The notification's state after this attempt: `acknowledged`, `retrying` or `given_up`. */
  state: string;
  /** When it is tried next (retrying only). */
  next_attempt_at: number | null;
  next_attempt_time: string | null;
  replay_of: number | null;
}

export type Activity = RequestActivity | TradeActivity | AttemptActivity;
