import { productIn, type Product } from '../catalogue.js';
import type { ShopDeps } from '../deps.js';
import { ShopError } from './errors.js';

export interface CartLine {
  product: Product;
  quantity: number;
  subtotalFen: number;
}

export interface Cart {
  lines: CartLine[];
  totalFen: number;
  count: number;
}

const MAX_QUANTITY = 99;

/** Adds a product to the browser's cart. */
export async function addToCart(deps: ShopDeps, sid: string, productId: string, quantity = 1): Promise<void> {
  if (!productIn(deps.options.products, productId)) throw new ShopError('not_found', '没有这件商品');
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new ShopError('bad_input', '数量应为 1 到 99');
  await deps.db.transaction().execute(async (trx) => {
    const line = await trx
      .selectFrom('cart_items')
      .select('quantity')
      .where('session_id', '=', sid)
      .where('product_id', '=', productId)
      .executeTakeFirst();
    if (line) {
      await trx
        .updateTable('cart_items')
        .set({ quantity: Math.min(MAX_QUANTITY, line.quantity + quantity) })
        .where('session_id', '=', sid)
        .where('product_id', '=', productId)
        .execute();
    } else {
      await trx.insertInto('cart_items').values({ session_id: sid, product_id: productId, quantity }).execute();
    }
  });
}

/** Sets a line's quantity; 0 removes it. */
export async function setCartQuantity(deps: ShopDeps, sid: string, productId: string, quantity: number): Promise<void> {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) throw new ShopError('bad_input', '数量应为 0 到 99');
  if (quantity === 0) {
    await deps.db.deleteFrom('cart_items').where('session_id', '=', sid).where('product_id', '=', productId).execute();
    return;
  }
  await deps.db.updateTable('cart_items').set({ quantity }).where('session_id', '=', sid).where('product_id', '=', productId).execute();
}

/** The browser's cart, priced from the catalogue. */
export async function cartOf(deps: Pick<ShopDeps, 'db' | 'options'>, sid: string): Promise<Cart> {
  const rows = await deps.db.selectFrom('cart_items').selectAll().where('session_id', '=', sid).orderBy('product_id').execute();
  const lines: CartLine[] = [];
  for (const row of rows) {
    const product = productIn(deps.options.products, row.product_id);
    if (product) lines.push({ product, quantity: row.quantity, subtotalFen: product.priceFen * row.quantity });
  }
  return { lines, totalFen: lines.reduce((s, l) => s + l.subtotalFen, 0), count: lines.reduce((s, l) => s + l.quantity, 0) };
}
