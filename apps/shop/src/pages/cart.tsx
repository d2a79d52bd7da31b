import type { Cart } from '../services/carts.js';
import { Csrf } from './layout.js';
import { yuan } from './labels.js';

export function CartPage(props: { cart: Cart; csrf: string; loggedIn: boolean }) {
  const { cart } = props;
  if (cart.lines.length === 0) {
    return (
      <>
        <h1>购物车</h1>
        <p>购物车是空的。<a href="/">去逛逛</a></p>
      </>
    );
  }
  return (
    <>
      <h1>购物车</h1>
      <table>
        <tr>
          <th>商品</th>
          <th>单价</th>
          <th>数量</th>
          <th>小计</th>
        </tr>
        {cart.lines.map((l) => (
          <tr>
            <td>{l.product.name}</td>
            <td>{yuan(l.product.priceFen)}</td>
            <td>
              <form method="post" action="/cart/update" class="inline">
                <Csrf token={props.csrf} />
                <input type="hidden" name="product_id" value={l.product.id} />
                <input type="text" name="quantity" value={String(l.quantity)} style="width:50px" />
                <button type="submit" class="small secondary">
                  修改
                </button>
              </form>
            </td>
            <td>{yuan(l.subtotalFen)}</td>
          </tr>
        ))}
      </table>
      <p>
        合计：<span class="price" id="cart-total">{yuan(cart.totalFen)}</span>
      </p>
      <p>
        <a class="button" href="/checkout" id="checkout">
          去结算
        </a>{' '}
        {props.loggedIn ? null : (
          <a class="button secondary" href="/login?back=%2Fcheckout" id="login-checkout">
            用支付宝账号登录并结算
          </a>
        )}
      </p>
    </>
  );
}
