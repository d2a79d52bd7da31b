import { bankByCode, DIRECT_PAY_MAX_FEN, formatAlipayTime, GatewayError, toFen, type ExpectedOrder, type TradeStatusSyncMessage } from 'alipay-legacy';
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ShopDeps } from '../deps.js';
import { SERVICE_OF } from '../payment-services.js';
import { isKnownRegion } from '../rules/regions.js';
import { preparedQuery, type Arg } from '../store/prepared-query.js';
import type { ShopDatabase } from '../store/schema.js';
import { cartOf } from './carts.js';
import { ShopError } from './errors.js';
import { addOrderEvent } from './order-events.js';
import type { Customer, Order, OrderItem } from './rows.js';
import { paymentSetting } from './settings.js';

/** A new order's Alipay columns: nothing is known until Alipay says something. */
const NOTHING_FROM_ALIPAY_YET = {
  trade_no: null,
  trade_status: null,
  refund_status: null,
  progress_rank: 0,
  last_notify_time: null,
  last_notify_id: null,
  gmt_refund: null,
  buyer_id: null,
  buyer_email: null,
  paid_way: null,
  logistics_name: null,
  invoice_no: null,
  pay_started_at: null,
  paid_at: null,
  last_queried_at: null,
} as const;

/** A direct payment has no consignee. */
const NO_ADDRESS = {
  receive_name: null,
  receive_prov: null,
  receive_city: null,
  receive_area: null,
  receive_address: null,
  receive_zip: null,
  receive_mobile: null,
} as const;

/** The order form of the checkout page. */
export interface CheckoutForm {
  receive_name: string;
  prov: string;
  city: string;
  area: string;
  address: string;
  zip: string;
  mobile: string;
  /** `alipay` (the cashier), `bank` (online banking through Alipay, `paymethod=bankPay`) or `cod` (cash on delivery). */
  payment: string;
  bank: string;
}

/** Who is looking: the browser's session and, after quick login, the Alipay user. */
export interface Viewer {
  sid: string;
  userId: string | null;
}

/**
 * A fresh out_trade_no: the Beijing date and time to the millisecond, then 10 random digits
 * (unique per partner, at most 64 characters, protocol.md §4.1): thousands of orders a second
 * still do not collide.
 */
export function newOutTradeNo(now: number): string {
  const ms = String(((now % 1000) + 1000) % 1000).padStart(3, '0');
  return `S${formatAlipayTime(now).replace(/\D/g, '')}${ms}${String(randomInt(10_000_000_000)).padStart(10, '0')}`;
}

/**
 * Places an order from the browser's cart: the address is checked against the shop's region list,
 * the payment interface is the shop's setting, the cart is emptied, all in one transaction. After
 * a quick login only Alipay may be offered (protocol.md §12.10), so cash on delivery is refused.
 */
export async function placeCartOrder(deps: ShopDeps, viewer: Viewer, customer: Customer | undefined, form: CheckoutForm): Promise<Order> {
  const cart = await cartOf(deps, viewer.sid);
  if (cart.lines.length === 0) throw new ShopError('bad_input', '购物车是空的');
  const name = form.receive_name.trim();
  const address = form.address.trim();
  const mobile = form.mobile.trim();
  const zip = form.zip.trim();
  if (!name || name.length > 50) throw new ShopError('bad_input', '请填写收货人姓名（50 字以内）');
  if (!isKnownRegion(form.prov, form.city, form.area)) throw new ShopError('bad_input', '请选择省、市、区');
  if (!address || address.length > 200) throw new ShopError('bad_input', '请填写详细地址（200 字以内）');
  if (!/^1\d{10}$/.test(mobile)) throw new ShopError('bad_input', '请填写 11 位手机号码');
  if (zip && !/^\d{6}$/.test(zip)) throw new ShopError('bad_input', '邮编应为 6 位数字');
  const setting = await paymentSetting(deps);
  let service = SERVICE_OF[setting];
  let paymethod: string | null = null;
  let defaultbank: string | null = null;
  if (form.payment === 'cod') {
    if (customer) throw new ShopError('bad_input', '支付宝快捷登录后只能使用支付宝付款');
    service = 'cod';
  } else if (form.payment === 'bank') {
    if (setting !== 'instant') throw new ShopError('bad_input', '当前付款方式不支持网银');
    if (!bankByCode(form.bank)) throw new ShopError('bad_input', '请选择银行');
    paymethod = 'bankPay';
    defaultbank = form.bank;
  } else if (form.payment !== 'alipay') {
    throw new ShopError('bad_input', '请选择付款方式');
  }
  const items: OrderItem[] = cart.lines.map((l) => ({ product_id: l.product.id, name: l.product.name, price_fen: l.product.priceFen, quantity: l.quantity }));
  const first = items[0]!;
  const subject = items.length > 1 ? `${first.name} 等${items.length}件商品` : first.name;
  const body = items.map((i) => `${i.name} ×${i.quantity}`).join('，').slice(0, 400);
  const now = deps.clock.now();
  const itemOrdersInfo = customer?.via_etao && service === SERVICE_OF.instant ? items.map((i) => `${i.product_id}^${i.quantity}^${(i.price_fen / 100).toFixed(2)}`).join('|') : null;
  return deps.db.transaction().execute(async (trx) => {
    const order = await trx
      .insertInto('orders')
      .values({
        out_trade_no: newOutTradeNo(now),
        kind: 'cart',
        session_id: viewer.sid,
        customer_user_id: customer?.user_id ?? null,
        subject,
        body,
        items: JSON.stringify(items),
        total_fen: cart.totalFen,
        payment_service: service,
        paymethod,
        defaultbank,
        item_orders_info: itemOrdersInfo,
        seller_id: deps.alipay.config.sellerId,
        receive_name: name,
        receive_prov: form.prov,
        receive_city: form.city,
        receive_area: form.area,
        receive_address: address,
        receive_zip: zip || null,
        receive_mobile: mobile,
        ...NOTHING_FROM_ALIPAY_YET,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('cart_items').where('session_id', '=', viewer.sid).execute();
    await addOrderEvent(deps, trx, { order_id: order.id, at: now, source: 'shop', kind: 'created', detail: `下单，${service === 'cod' ? '货到付款' : `付款接口 ${service}`}` });
    return order;
  });
}

/** The direct-payment page's form (直接付款, protocol.md §12.5). */
export interface DirectPaymentForm {
  subject: string;
  amount: string;
  note: string;
}

/** Places a direct payment: what it is for, the amount and a note, paid by instant payment. */
export async function placeDirectPayment(deps: ShopDeps, viewer: Viewer, form: DirectPaymentForm): Promise<Order> {
  const subject = form.subject.trim();
  const note = form.note.trim();
  if (!subject || subject.length > 100) throw new ShopError('bad_input', '请填写付款说明（100 字以内）');
  if (note.length > 400) throw new ShopError('bad_input', '备注请在 400 字以内');
  let fen: number;
  try {
    fen = toFen(form.amount.trim(), 'amount');
  } catch (error) {
    if (error instanceof GatewayError) throw new ShopError('bad_input', '请填写金额，最多两位小数，例如 0.01');
    throw error;
  }
  if (fen <= 0 || fen > DIRECT_PAY_MAX_FEN) throw new ShopError('bad_input', '金额应大于 0');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const order = await trx
      .insertInto('orders')
      .values({
        out_trade_no: newOutTradeNo(now),
        kind: 'direct',
        session_id: viewer.sid,
        customer_user_id: viewer.userId,
        subject,
        body: note || null,
        items: '[]',
        total_fen: fen,
        payment_service: SERVICE_OF.instant,
        paymethod: null,
        defaultbank: null,
        item_orders_info: null,
        seller_id: deps.alipay.config.sellerId,
        ...NO_ADDRESS,
        ...NOTHING_FROM_ALIPAY_YET,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addOrderEvent(deps, trx, { order_id: order.id, at: now, source: 'shop', kind: 'created', detail: '直接付款' });
    return order;
  });
}

/**
 * No order number holds a NUL (the shop makes them), and PostgreSQL refuses one in a text
 * parameter: a number from a URL or a message with one names no order, rather than failing.
 */
function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** An order by its number. */
export async function orderByNumber(deps: Pick<ShopDeps, 'db'>, outTradeNo: string): Promise<Order | undefined> {
  if (hasNul(outTradeNo)) return undefined;
  return deps.db.selectFrom('orders').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
}

const selectExpected = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<{ out_trade_no: string }>) =>
  db.selectFrom('orders').select(['total_fen', 'seller_id', 'payment_service']).where('out_trade_no', '=', arg('out_trade_no')),
);

/**
 * The SDK's `expect` for trade_status_sync messages: the order's total and seller for the amount
 * and seller checks, or undefined (refused as `unknown_order`) for an unknown or cash-on-delivery
 * order. Reads only the three columns it needs.
 */
export function expectedOrder(deps: Pick<ShopDeps, 'db' | 'dialect'>): (message: TradeStatusSyncMessage) => Promise<ExpectedOrder | undefined> {
  return async (message) => {
    if (hasNul(message.out_trade_no)) return undefined;
    const [order] = (await selectExpected(deps.db, deps.dialect, { out_trade_no: message.out_trade_no })).rows;
    return order && order.payment_service !== 'cod' ? { totalFee: Number(order.total_fen), sellerId: order.seller_id } : undefined;
  };
}

/** An order the viewer may see (placed in this browser, or by the logged-in Alipay user), else undefined. */
export async function viewerOrder(deps: Pick<ShopDeps, 'db'>, viewer: Viewer, outTradeNo: string): Promise<Order | undefined> {
  const order = await orderByNumber(deps, outTradeNo);
  if (!order) return undefined;
  if (order.session_id === viewer.sid || (viewer.userId !== null && order.customer_user_id === viewer.userId)) return order;
  return undefined;
}

/** The viewer's orders, newest first. */
export async function viewerOrders(deps: Pick<ShopDeps, 'db'>, viewer: Viewer): Promise<Order[]> {
  return deps.db
    .selectFrom('orders')
    .selectAll()
    .where((eb) => (viewer.userId ? eb.or([eb('session_id', '=', viewer.sid), eb('customer_user_id', '=', viewer.userId)]) : eb('session_id', '=', viewer.sid)))
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}
