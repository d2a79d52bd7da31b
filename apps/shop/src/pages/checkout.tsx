import type { Bank } from 'alipay-legacy';
import { SETTING_LABEL, type PaymentSetting } from '../payment-services.js';
import { REGIONS } from '../rules/regions.js';
import type { Cart } from '../services/carts.js';
import type { CheckoutForm } from '../services/orders.js';
import { Csrf } from './layout.js';
import { yuan } from './labels.js';

export interface CheckoutProps {
  cart: Cart;
  csrf: string;
  form: Partial<CheckoutForm>;
  setting: PaymentSetting;
  banks: readonly Bank[];
  /** After quick login: only Alipay may be offered (protocol.md §12.10), and the address can come from Alipay. */
  loggedIn: boolean;
  /** Set when the form was filled from the buyer's Alipay address. */
  fromAlipay: boolean;
  error?: string | undefined;
}

/** The order form: the first page after "去结算" (protocol.md §12.10: where quick login from the cart lands). */
export function CheckoutPage(props: CheckoutProps) {
  const f = props.form;
  const payment = f.payment ?? 'alipay';
  return (
    <>
      <h1>填写订单</h1>
      {props.error ? <p class="error">{props.error}</p> : null}
      <table>
        <tr>
          <th>商品</th>
          <th>数量</th>
          <th>小计</th>
        </tr>
        {props.cart.lines.map((l) => (
          <tr>
            <td>{l.product.name}</td>
            <td>{l.quantity}</td>
            <td>{yuan(l.subtotalFen)}</td>
          </tr>
        ))}
      </table>
      <p>
        应付总额：<span class="price" id="order-total">{yuan(props.cart.totalFen)}</span>（包邮）
      </p>
      {props.loggedIn ? (
        <form method="post" action="/checkout/alipay-address">
          <Csrf token={props.csrf} />
          <button type="submit" class="secondary" id="use-alipay-address">
            使用我在支付宝的收货地址
          </button>
          {props.fromAlipay ? (
            <span class="ok" id="address-filled">
              {' '}
              已填入您在支付宝选择的地址，可以修改
            </span>
          ) : null}
        </form>
      ) : null}
      <form method="post" action="/checkout" id="checkout-form">
        <Csrf token={props.csrf} />
        <fieldset>
          <legend>收货信息</legend>
          <label>
            收货人 <input type="text" name="receive_name" value={f.receive_name ?? ''} required />
          </label>
          <label>
            省份{' '}
            <select name="prov" required>
              <option value="">请选择</option>
              {Object.keys(REGIONS).map((p) => (
                <option value={p} selected={p === f.prov}>
                  {p}
                </option>
              ))}
            </select>{' '}
            城市{' '}
            <select name="city" required>
              <option value="">请选择</option>
              {Object.entries(REGIONS).map(([p, cities]) => (
                <optgroup label={p}>
                  {Object.keys(cities).map((city) => (
                    <option value={city} selected={p === f.prov && city === f.city}>
                      {city}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>{' '}
            区县{' '}
            <select name="area" required>
              <option value="">请选择</option>
              {Object.entries(REGIONS).flatMap(([p, cities]) =>
                Object.entries(cities).map(([city, areas]) => (
                  <optgroup label={city}>
                    {areas.map((a) => (
                      <option value={a} selected={p === f.prov && city === f.city && a === f.area}>
                        {a}
                      </option>
                    ))}
                  </optgroup>
                )),
              )}
            </select>
          </label>
          <label>
            详细地址 <input type="text" name="address" value={f.address ?? ''} required />
          </label>
          <label>
            邮编 <input type="text" name="zip" value={f.zip ?? ''} />
          </label>
          <label>
            手机 <input type="tel" name="mobile" value={f.mobile ?? ''} required />
          </label>
        </fieldset>
        <fieldset>
          <legend>付款方式</legend>
          <label>
            <input type="radio" name="payment" value="alipay" checked={payment === 'alipay'} /> 支付宝（{SETTING_LABEL[props.setting]}）
          </label>
          {props.setting === 'instant' ? (
            <>
              <label>
                <input type="radio" name="payment" value="bank" checked={payment === 'bank'} /> 网上银行（经支付宝）：
                <select name="bank">
                  {props.banks.map((b) => (
                    <option value={b.code} selected={b.code === f.bank}>
                      {b.name}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
          {props.loggedIn ? null : (
            <label>
              <input type="radio" name="payment" value="cod" checked={payment === 'cod'} /> 货到付款
            </label>
          )}
        </fieldset>
        <button type="submit" id="place-order">
          提交订单并付款
        </button>
      </form>
    </>
  );
}
