import { AlipayError, fromFen, GatewayError, type EscrowInput, type PageRequest } from 'alipay-legacy';
import type { ShopDeps } from '../deps.js';
import { orderIsPaid } from '../rules/trade-update.js';
import { ShopError } from './errors.js';
import { addOrderEvent } from './order-events.js';
import type { Customer, Order } from './rows.js';
import { liveToken } from './sessions.js';

/**
 * The signed payment request of an order, through the interface it was placed with, carrying the
 * quick-login token while it is valid (protocol.md §12.10: so the buyer skips the cashier's login),
 * the bank choice for instant payment (protocol.md §12.6) and, for buyers from etao,
 * `item_orders_info` (protocol.md §12.13). The same order always gives the same request data, so going back to pay opens
 * the same trade (decisions.md §15). Records when the buyer was sent, for reconciliation.
 */
export async function paymentRequest(deps: ShopDeps, order: Order, customer: Customer | undefined): Promise<PageRequest> {
  if (order.payment_service === 'cod') throw new ShopError('bad_state', '货到付款的订单无需在线付款');
  if (orderIsPaid(order) || order.trade_status === 'TRADE_CLOSED') throw new ShopError('bad_state', '这笔订单已付款或已关闭');
  const token = customer && customer.user_id === order.customer_user_id ? liveToken(deps, customer) : undefined;
  const common = {
    out_trade_no: order.out_trade_no,
    subject: order.subject,
    ...(order.body ? { body: order.body } : {}),
    show_url: `${deps.options.publicUrl}/orders/${encodeURIComponent(order.out_trade_no)}`,
    ...(token ? { token } : {}),
  };
  let request: PageRequest;
  try {
    if (order.payment_service === 'create_direct_pay_by_user') {
      request = await deps.alipay.createDirectPayByUser({
        ...common,
        total_fee: fromFen(order.total_fen),
        ...(order.paymethod === 'bankPay' && order.defaultbank ? { paymethod: 'bankPay' as const, defaultbank: order.defaultbank } : {}),
        ...(order.item_orders_info ? { item_orders_info: order.item_orders_info } : {}),
      });
    } else {
      const input: EscrowInput = {
        ...common,
        price: fromFen(order.total_fen),
        quantity: 1,
        logistics_type: 'EXPRESS',
        logistics_fee: '0.00',
        logistics_payment: 'SELLER_PAY',
        ...(order.receive_name ? { receive_name: order.receive_name } : {}),
        ...(order.receive_address
          ? { receive_address: `${order.receive_prov ?? ''}${order.receive_city === order.receive_prov ? '' : (order.receive_city ?? '')}${order.receive_area ?? ''}${order.receive_address}` }
          : {}),
        ...(order.receive_zip ? { receive_zip: order.receive_zip } : {}),
        ...(order.receive_mobile ? { receive_mobile: order.receive_mobile } : {}),
      };
      request =
        order.payment_service === 'trade_create_by_buyer' ? await deps.alipay.tradeCreateByBuyer(input) : await deps.alipay.createPartnerTradeByBuyer(input);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw new ShopError('bad_input', `支付请求无效（${error.code}）`, { cause: error });
    if (error instanceof AlipayError) throw new ShopError('alipay_unreachable', '暂时无法连接支付宝，请稍后再试', { cause: error });
    throw error;
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('orders').set({ pay_started_at: now }).where('id', '=', order.id).execute();
    await addOrderEvent(deps, trx, { order_id: order.id, at: now, source: 'shop', kind: 'sent_to_alipay', detail: order.payment_service });
  });
  return request;
}
