import { readFileSync } from 'node:fs';
import { docLength, ESCROW_MAX_FEN } from 'alipay-legacy';

/** A product of the catalogue. Prices are integer fen. */
export interface Product {
  id: string;
  name: string;
  description: string;
  priceFen: number;
}

/**
 * The shop's catalogue: a small fixed list, in Chinese, with a ¥0.01 product to test payments
 * with (protocol.md §12.4). `SHOP_CATALOGUE` replaces it with the products of a JSON file.
 */
export const PRODUCTS: readonly Product[] = Object.freeze([
  { id: 'test-penny', name: '测试商品（一分钱）', description: '用于联调测试的商品，售价 0.01 元。', priceFen: 1 },
  { id: 'longjing-tea', name: '明前西湖龙井 50克', description: '杭州狮峰山核心产区，春茶头采，罐装 50 克。', priceFen: 16800 },
  { id: 'three-body', name: '《三体》全集（三册）', description: '刘慈欣著，重庆出版社，平装三册。', priceFen: 9300 },
  { id: 'celadon-mug', name: '青瓷马克杯', description: '龙泉青瓷，容量 350 毫升，可用洗碗机。', priceFen: 3990 },
  { id: 'zongzi', name: '嘉兴鲜肉粽 6只装', description: '真空包装，保质期 30 天，加热即食。', priceFen: 2980 },
]);

/** The product of an id in a catalogue, or undefined. */
export function productIn(products: readonly Product[], id: string): Product | undefined {
  return products.find((p) => p.id === id);
}

/**
 * A product name's limit: the order's subject is the name (with " 等N件商品" for several lines),
 * and a subject is at most 256 bytes as Alipay counts them (protocol.md §4.1, ASCII 1, others 2).
 */
export const NAME_MAX_LENGTH = 200;
const DESCRIPTION_MAX = 2000;

/** Ids go into the product page's path and the cart's forms as they are. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a catalogue read from JSON: a non-empty array of products, each with an id of letters,
 * digits, `-` and `_` (unique), a name of at most 200 (Alipay's count), a description and an
 * integer price in fen from 1 to the escrow limit (the shop may sell through any interface).
 * Throws an Error naming the product and the field.
 */
export function parseCatalogue(value: unknown, source: string): readonly Product[] {
  const fail = (what: string): never => {
    throw new Error(`SHOP_CATALOGUE ${source}: ${what}`);
  };
  if (!Array.isArray(value) || value.length === 0) fail('should be a JSON array of products ({ "id", "name", "description", "priceFen" })');
  const products: Product[] = [];
  const seen = new Set<string>();
  (value as unknown[]).forEach((item, i) => {
    const at = `product ${i}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(`${at} is not an object`);
    const { id, name, description, priceFen } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) fail(`${at}: id should be 1 to 64 letters, digits, "-" or "_"`);
    if (seen.has(id as string)) fail(`${at}: id "${id as string}" is used twice`);
    seen.add(id as string);
    if (typeof name !== 'string' || name.trim() === '' || docLength(name) > NAME_MAX_LENGTH) {
      fail(`${at} (${id as string}): name should be a non-empty string of at most ${NAME_MAX_LENGTH} (ASCII counts 1, other characters 2)`);
    }
    if (typeof description !== 'string' || description.length > DESCRIPTION_MAX) fail(`${at} (${id as string}): description should be a string of at most ${DESCRIPTION_MAX} characters`);
    if (typeof priceFen !== 'number' || !Number.isInteger(priceFen) || priceFen < 1 || priceFen > ESCROW_MAX_FEN) {
      fail(`${at} (${id as string}): priceFen should be an integer number of fen from 1 to ${ESCROW_MAX_FEN}`);
    }
    products.push({ id: id as string, name: name as string, description: description as string, priceFen: priceFen as number });
  });
  return Object.freeze(products);
}

/** Reads and checks the catalogue file `SHOP_CATALOGUE` names. */
export function readCatalogue(path: string): readonly Product[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`SHOP_CATALOGUE ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`SHOP_CATALOGUE ${path}: not JSON (${(error as Error).message})`);
  }
  return parseCatalogue(json, path);
}
