/** A product of the catalogue. Prices are integer fen. */
export interface Product {
  id: string;
  name: string;
  description: string;
  priceFen: number;
}

/**
 * The shop's catalogue: a small fixed list, in Chinese, with a ¥0.01 product to test payments
 * with (protocol.md §12.4).
 */
export const PRODUCTS: readonly Product[] = Object.freeze([
  { id: 'test-penny', name: '测试商品（一分钱）', description: '用于联调测试的商品，售价 0.01 元。', priceFen: 1 },
  { id: 'longjing-tea', name: '明前西湖龙井 50克', description: '杭州狮峰山核心产区，春茶头采，罐装 50 克。', priceFen: 16800 },
  { id: 'three-body', name: '《三体》全集（三册）', description: '刘慈欣著，重庆出版社，平装三册。', priceFen: 9300 },
  { id: 'celadon-mug', name: '青瓷马克杯', description: '龙泉青瓷，容量 350 毫升，可用洗碗机。', priceFen: 3990 },
  { id: 'zongzi', name: '嘉兴鲜肉粽 6只装', description: '真空包装，保质期 30 天，加热即食。', priceFen: 2980 },
]);

/** The product of an id, or undefined. */
export function productById(id: string): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}
