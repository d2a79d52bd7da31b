/**
 * What `GET /sandbox/api` answers: each route of the test-helper API, its method, one line on what
 * it does and the body fields it reads (`?` marks an optional one). README.md explains each at
 * length; this is the list a script or a person finds at the URL the banner prints.
 */
export interface ApiRouteEntry {
  method: 'GET' | 'POST';
  path: string;
  description: string;
  /** Body fields of a POST, or query parameters of a GET. */
  fields?: string[];
}

export const API_ROUTES: readonly ApiRouteEntry[] = [
  { method: 'GET', path: '/sandbox/api', description: 'this index' },
  { method: 'GET', path: '/sandbox/api/merchants', description: 'every merchant with its keys and switches' },
  {
    method: 'POST',
    path: '/sandbox/api/merchants/:partner/settings',
    description: "change a merchant's switches, contracted services, sign types or RSA public key",
    fields: ['anti_phishing?', 'ip_check?', 'advanced_instant?', 'self_timeout?', 'refund_window_days?', 'services?', 'sign_types?', 'rsa_public_key?'],
  },
  { method: 'GET', path: '/sandbox/api/buyers', description: 'the test buyers with their saved addresses' },
  {
    method: 'POST',
    path: '/sandbox/api/pay',
    description: 'pay an open trade as a buyer would at the cashier; answers the signed return_url',
    fields: ['partner', 'out_trade_no', 'buyer', 'method?', 'logistics?'],
  },
  { method: 'POST', path: '/sandbox/api/quick-login', description: 'a quick-login token for a buyer, without the browser', fields: ['partner', 'buyer'] },
  {
    method: 'POST',
    path: '/sandbox/api/authorize',
    description: 'the signed alipay.auth.authorize return the browser would be sent to after the login window',
    fields: ['partner', 'buyer', 'return_url', 'target_url?', 'charset?', 'sign_type?'],
  },
  {
    method: 'POST',
    path: '/sandbox/api/address-query',
    description: 'the signed form the user.logistics.address.query page would post for a live token',
    fields: ['partner', 'token', 'return_url', 'address?', 'charset?', 'sign_type?'],
  },
  { method: 'GET', path: '/sandbox/api/clock', description: "the sandbox's time and its offset" },
  { method: 'POST', path: '/sandbox/api/clock/advance', description: 'move the clock and run everything that falls due', fields: ['seconds'] },
  { method: 'GET', path: '/sandbox/api/trades', description: 'trades, newest first', fields: ['out_trade_no?', 'partner?'] },
  { method: 'GET', path: '/sandbox/api/trades/:trade_no', description: 'one trade with its events and refunds' },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/ship', description: 'the seller ships', fields: ['logistics_name?', 'invoice_no?', 'transport_type?'] },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/confirm-receipt', description: 'the buyer confirms receipt' },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/refund', description: 'the buyer asks for a refund', fields: ['amount?', 'reason?', 'return_goods?'] },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/refund/agree', description: 'the seller agrees to the refund' },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/refund/refuse', description: 'the seller refuses the refund' },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/refund/goods-returned', description: 'the buyer sent the goods back', fields: ['logistics_name?', 'invoice_no?'] },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/refund/confirm-goods', description: 'the seller got the goods back' },
  { method: 'POST', path: '/sandbox/api/trades/:trade_no/close', description: 'close an unpaid trade', fields: ['role?'] },
  { method: 'GET', path: '/sandbox/api/refund-batches', description: 'refund batches of refund_fastpay_by_platform_pwd', fields: ['partner?'] },
  { method: 'POST', path: '/sandbox/api/refund-batches/:batch_no/confirm', description: "the seller confirms a refund batch", fields: ['partner?'] },
  { method: 'GET', path: '/sandbox/api/notifications', description: 'notifications with every delivery attempt', fields: ['out_trade_no?', 'trade_no?', 'partner?'] },
  { method: 'POST', path: '/sandbox/api/notifications/:id/replay', description: 'send a notification again, as a new one' },
  { method: 'POST', path: '/sandbox/api/notifications/recover', description: 'send again every notification given up since a time', fields: ['since', 'partner?'] },
  {
    method: 'POST',
    path: '/sandbox/api/check-merchant',
    description: "send a merchant's notify_url (and return_url) the cases it must handle, and report",
    fields: ['partner', 'notify_url', 'return_url?', 'out_trade_no?'],
  },
  { method: 'GET', path: '/sandbox/api/faults/:partner', description: "a merchant's current delivery fault" },
  { method: 'POST', path: '/sandbox/api/faults', description: 'inject a delivery fault for a merchant', fields: ['partner', 'kind', 'count?', 'seconds?'] },
  { method: 'GET', path: '/sandbox/api/activity', description: 'what happens, as server-sent events' },
];
