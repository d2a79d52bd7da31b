/**
 * The shop's own region list (province → city → districts), named the way many shops name them:
 * municipalities with 市, districts short, without 区 ("上海市", "浦东"; protocol.md §12.12). Alipay's
 * address query names them as the national statistics list does ("上海", "浦东新区"), so the two
 * are matched by `matchRegion`.
 */
export const REGIONS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = Object.freeze({
  北京市: { 北京市: ['东城', '西城', '朝阳', '海淀', '丰台'] },
  上海市: { 上海市: ['浦东', '黄浦', '徐汇', '静安', '长宁', '闵行'] },
  天津市: { 天津市: ['和平', '河西', '南开'] },
  重庆市: { 重庆市: ['渝中', '江北', '南岸', '沙坪坝'] },
  浙江省: { 杭州市: ['西湖', '上城', '拱墅', '滨江'], 宁波市: ['海曙', '鄞州'], 嘉兴市: ['南湖', '秀洲'] },
  江苏省: { 南京市: ['玄武', '秦淮', '鼓楼', '建邺'], 苏州市: ['姑苏', '工业园区', '吴中'] },
  广东省: { 广州市: ['天河', '越秀', '海珠', '番禺'], 深圳市: ['南山', '福田', '罗湖', '宝安'] },
  四川省: { 成都市: ['武侯', '锦江', '青羊', '高新'] },
});

/** A region triple in the shop's names; a level that could not be matched is undefined. */
export interface ShopRegion {
  prov?: string;
  city?: string;
  area?: string;
}

/**
 * Matches one Alipay region name against the shop's names at one level, by the two methods of
 * protocol.md §12.12: one name contains the other (上海 ⊂ 上海市, 浦东 ⊂ 浦东新区), else the first two
 * characters agree.
 */
export function matchName(alipayName: string | undefined, shopNames: readonly string[]): string | undefined {
  const name = alipayName?.trim();
  if (!name) return undefined;
  const exact = shopNames.find((n) => n === name);
  if (exact) return exact;
  const contained = shopNames.find((n) => n.includes(name) || name.includes(n));
  if (contained) return contained;
  if (name.length >= 2) return shopNames.find((n) => n.length >= 2 && n.slice(0, 2) === name.slice(0, 2));
  return undefined;
}

/**
 * Maps Alipay's province, city and district to the shop's region list. A municipality's city is
 * its province again on both sides (上海 / 上海 / 浦东新区 → 上海市 / 上海市 / 浦东).
 * @example matchRegion({ prov: '上海', city: '上海', area: '浦东新区' }) // { prov: '上海市', city: '上海市', area: '浦东' }
 */
export function matchRegion(alipay: { prov?: string | undefined; city?: string | undefined; area?: string | undefined }): ShopRegion {
  const out: ShopRegion = {};
  const prov = matchName(alipay.prov, Object.keys(REGIONS));
  if (!prov) return out;
  out.prov = prov;
  const cities = REGIONS[prov]!;
  const city = matchName(alipay.city, Object.keys(cities)) ?? (Object.keys(cities).length === 1 ? Object.keys(cities)[0] : undefined);
  if (!city) return out;
  out.city = city;
  const area = matchName(alipay.area, cities[city]!);
  if (area) out.area = area;
  return out;
}

/** True when the triple names a province, a city of it and a district of that city. */
export function isKnownRegion(prov: string, city: string, area: string): boolean {
  return REGIONS[prov]?.[city]?.includes(area) ?? false;
}
