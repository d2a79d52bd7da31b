import { BANKS } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { productIn } from '../catalogue.js';
import { CartPage } from '../pages/cart.js';
import { CataloguePage, ProductPage } from '../pages/catalogue.js';
import { CheckoutPage } from '../pages/checkout.js';
import { OrderPage, OrdersPage } from '../pages/orders.js';
import { matchRegion } from '../rules/regions.js';
import { orderIsPaid } from '../rules/trade-update.js';
import { addToCart, cartOf, setCartQuantity } from '../services/carts.js';
import { ShopError } from '../services/errors.js';
import { placeCartOrder, viewerOrder, viewerOrders, type CheckoutForm } from '../services/orders.js';
import { paymentRequest } from '../services/payment-request.js';
import type { Order } from '../services/rows.js';
import { paymentSetting } from '../services/settings.js';
import type { ShopEnv, Web } from '../web/context.js';
import { field, renderPage } from '../web/render.js';

/** Whether the buyer may (still) be sent to pay an order. */
export function canPay(order: Order): boolean {
  return order.payment_service !== 'cod' && !orderIsPaid(order) && order.trade_status !== 'TRADE_CLOSED' && order.trade_status !== 'WAIT_SYS_CONFIRM_PAY';
}

/** The catalogue, the cart, checkout and the buyer's orders. */
export function shopRoutes(web: Web): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>();
  const { deps } = web;

  app.get('/', (c) => renderPage(c, web, '全部商品', <CataloguePage products={deps.options.products} csrf={c.get('csrf')} />));

  app.get('/products/:id', async (c) => {
    const product = productIn(deps.options.products, c.req.param('id'));
    if (!product) throw new ShopError('not_found', '没有这件商品');
    return renderPage(c, web, product.name, <ProductPage product={product} csrf={c.get('csrf')} />);
  });

  app.post('/cart/add', async (c) => {
    const form = await c.req.parseBody();
    await addToCart(deps, c.get('sid'), field(form, 'product_id'), 1);
    return c.redirect('/cart', 303);
  });

  app.post('/cart/update', async (c) => {
    const form = await c.req.parseBody();
    const quantity = Number(field(form, 'quantity'));
    await setCartQuantity(deps, c.get('sid'), field(form, 'product_id'), quantity);
    return c.redirect('/cart', 303);
  });

  app.get('/cart', async (c) =>
    renderPage(c, web, '购物车', <CartPage cart={await cartOf(deps, c.get('sid'))} csrf={c.get('csrf')} loggedIn={c.get('customer') !== undefined} />),
  );

  const showCheckout = async (c: Context<ShopEnv>, form: Partial<CheckoutForm>, fromAlipay: boolean, error?: string) => {
    const cart = await cartOf(deps, c.get('sid'));
    if (cart.lines.length === 0) return c.redirect('/cart', 303);
    return renderPage(
      c,
      web,
      '填写订单',
      <CheckoutPage
        cart={cart}
        csrf={c.get('csrf')}
        form={form}
        setting={await paymentSetting(deps)}
        banks={BANKS}
        loggedIn={c.get('customer') !== undefined}
        fromAlipay={fromAlipay}
        error={error}
      />,
      { status: error ? 400 : 200 },
    );
  };

  app.get('/checkout', async (c) => {
    const customer = c.get('customer');
    // protocol.md §12.12: the address the buyer chose at Alipay fills the form, matched to the shop's region names.
    if (customer?.alipay_address && c.req.query('address') === 'alipay') {
      const a = JSON.parse(customer.alipay_address) as Record<string, string | undefined>;
      const region = matchRegion(a);
      return showCheckout(
        c,
        {
          receive_name: a.fullname ?? '',
          prov: region.prov ?? '',
          city: region.city ?? '',
          area: region.area ?? '',
          address: a.address ?? '',
          zip: a.post ?? '',
          mobile: a.mobile_phone ?? '',
        },
        true,
      );
    }
    return showCheckout(c, {}, false);
  });

  app.post('/checkout', async (c) => {
    const body = await c.req.parseBody();
    const form: CheckoutForm = {
      receive_name: field(body, 'receive_name'),
      prov: field(body, 'prov'),
      city: field(body, 'city'),
      area: field(body, 'area'),
      address: field(body, 'address'),
      zip: field(body, 'zip'),
      mobile: field(body, 'mobile'),
      payment: field(body, 'payment'),
      bank: field(body, 'bank'),
    };
    let order: Order;
    try {
      order = await placeCartOrder(deps, c.get('viewer'), c.get('customer'), form);
    } catch (error) {
      if (error instanceof ShopError && error.code === 'bad_input') return showCheckout(c, form, false, error.message);
      throw error;
    }
    if (order.payment_service === 'cod') return c.redirect(`/orders/${encodeURIComponent(order.out_trade_no)}`, 303);
    const request = await paymentRequest(deps, order, c.get('customer'));
    return c.redirect(request.url, 303);
  });

  app.get('/orders', async (c) => renderPage(c, web, '我的订单', <OrdersPage orders={await viewerOrders(deps, c.get('viewer'))} />));

  app.get('/orders/:no', async (c) => {
    const order = await viewerOrder(deps, c.get('viewer'), c.req.param('no'));
    if (!order) throw new ShopError('not_found', '没有这笔订单');
    return renderPage(c, web, `订单 ${order.out_trade_no}`, <OrderPage order={order} csrf={c.get('csrf')} canPay={canPay(order)} />);
  });

  app.post('/orders/:no/pay', async (c) => {
    const order = await viewerOrder(deps, c.get('viewer'), c.req.param('no'));
    if (!order) throw new ShopError('not_found', '没有这笔订单');
    const request = await paymentRequest(deps, order, c.get('customer'));
    return c.redirect(request.url, 303);
  });

  return app;
}
