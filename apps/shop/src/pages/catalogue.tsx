import type { Product } from '../catalogue.js';
import { Csrf } from './layout.js';
import { yuan } from './labels.js';

export function CataloguePage(props: { products: readonly Product[]; csrf: string }) {
  return (
    <>
      <h1>全部商品</h1>
      <div class="products">
        {props.products.map((p) => (
          <div class="product" data-product={p.id}>
            <h3>
              <a href={`/products/${p.id}`}>{p.name}</a>
            </h3>
            <div class="price">{yuan(p.priceFen)}</div>
            <p class="muted">{p.description}</p>
            <AddToCart product={p} csrf={props.csrf} />
          </div>
        ))}
      </div>
    </>
  );
}

export function ProductPage(props: { product: Product; csrf: string }) {
  const p = props.product;
  return (
    <>
      <h1>{p.name}</h1>
      <p class="price">{yuan(p.priceFen)}</p>
      <p>{p.description}</p>
      <AddToCart product={p} csrf={props.csrf} />
    </>
  );
}

function AddToCart(props: { product: Product; csrf: string }) {
  return (
    <form method="post" action="/cart/add">
      <Csrf token={props.csrf} />
      <input type="hidden" name="product_id" value={props.product.id} />
      <button type="submit" class="small" data-add={props.product.id}>
        加入购物车
      </button>
    </form>
  );
}
