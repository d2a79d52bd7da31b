import { describe, expect, it } from 'vitest';
import { isKnownRegion, matchName, matchRegion } from './regions.js';

describe('matchRegion (protocol.md §12.12 region names)', () => {
  it('matches a municipality without 市 and a district in full to the shop names', () => {
    expect(matchRegion({ prov: '上海', city: '上海', area: '浦东新区' })).toEqual({ prov: '上海市', city: '上海市', area: '浦东' });
    expect(matchRegion({ prov: '北京', city: '北京', area: '朝阳区' })).toEqual({ prov: '北京市', city: '北京市', area: '朝阳' });
  });
  it('matches provinces, cities and districts named in full', () => {
    expect(matchRegion({ prov: '广东省', city: '广州市', area: '天河区' })).toEqual({ prov: '广东省', city: '广州市', area: '天河' });
    expect(matchRegion({ prov: '四川省', city: '成都市', area: '武侯区' })).toEqual({ prov: '四川省', city: '成都市', area: '武侯' });
  });
  it('falls back to the first two characters', () => {
    expect(matchName('苏州工业园区', ['姑苏', '工业园区'])).toBe('工业园区');
    expect(matchName('浙江', ['浙江省', '江苏省'])).toBe('浙江省');
  });
  it('leaves a level it cannot match empty, for the buyer to choose', () => {
    expect(matchRegion({ prov: '西藏', city: '拉萨', area: '城关区' })).toEqual({});
    expect(matchRegion({ prov: '浙江省', city: '温州市', area: '鹿城区' })).toEqual({ prov: '浙江省' });
  });
  it('knows its own triples', () => {
    expect(isKnownRegion('上海市', '上海市', '浦东')).toBe(true);
    expect(isKnownRegion('上海市', '上海市', '浦东新区')).toBe(false);
  });
});
