import { describe, expect, it } from 'vitest';
import { AlipayError } from '../errors.js';
import { parseReceiveAddress, renderReceiveAddress } from './receive-address.js';

const FIELDS = {
  address: '张江路 1 号 <A栋> & "B"',
  fullname: '张三',
  prov: '上海',
  city: '上海',
  area: '浦东新区',
  address_code: '310115',
  mobile_phone: '13800000000',
  phone: '021-12345678',
  post: '201203',
};

describe('receive_address XML (decisions.md §17)', () => {
  it('renders the nine elements in order with text XML-escaped and empty ones as <name/>', () => {
    expect(renderReceiveAddress({ fullname: '张三', address: 'a & <b>' })).toBe(
      '<receive_address><address>a &amp; &lt;b&gt;</address><fullname>张三</fullname><prov/><city/><area/><address_code/><mobile_phone/><phone/><post/></receive_address>',
    );
  });

  it('reads back what it renders, special characters included', () => {
    const parsed = parseReceiveAddress(renderReceiveAddress(FIELDS));
    const { raw, ...fields } = parsed;
    expect(fields).toEqual(FIELDS);
    expect(raw.address).toBe(FIELDS.address);
  });

  it('leaves empty elements out of the fields', () => {
    const parsed = parseReceiveAddress(renderReceiveAddress({ prov: '北京' }));
    expect(parsed.prov).toBe('北京');
    expect('phone' in parsed).toBe(false);
    expect(parsed.raw.phone).toBe('');
  });

  it('accepts a declaration, another root around <receive_address>, and a whole document escaped once more', () => {
    expect(parseReceiveAddress('<?xml version="1.0" encoding="GBK"?><receive_address><city>杭州</city></receive_address>').city).toBe('杭州');
    expect(parseReceiveAddress('<alipay><receive_address><city>杭州</city></receive_address></alipay>').city).toBe('杭州');
    expect(parseReceiveAddress('<address_info><city>杭州</city><email>a@b.c</email></address_info>')).toMatchObject({ city: '杭州', raw: { email: 'a@b.c' } });
    const escaped = renderReceiveAddress(FIELDS).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(parseReceiveAddress(escaped).address).toBe(FIELDS.address);
  });

  it('refuses a document that is not well-formed', () => {
    expect(() => parseReceiveAddress('<receive_address><city>杭州</receive_address>')).toThrow(AlipayError);
  });
});
