import { describe, expect, it } from 'vitest';
import { AlipayError } from './errors.js';
import { escapeXml, parseAlipayXml, parseXml, readXmlElements, renderAlipayXml } from './xml.js';

// The single_trade_query stub of protocol.md §4.9 (from chloerei/alipay's test suite), pretty-printed.
const TRADE_REPLY = `<?xml version="1.0" encoding="utf-8"?>
<alipay>
  <is_success>T</is_success>
  <request>
    <param name="trade_no">20150123123123</param><param name="_input_charset">utf-8</param>
    <param name="service">single_trade_query</param><param name="partner">2088101122136241</param>
  </request>
  <response><trade>
    <additional_trade_status>DAEMON_CONFIRM_CLOSE</additional_trade_status>
    <buyer_email>buyer@example.com</buyer_email><discount>0.00</discount>
    <gmt_close>2015-01-20 02:37:00</gmt_close>
    <out_trade_no>1</out_trade_no><price>640.00</price>
    <subject>Tom &amp; Jerry &lt;DVD&gt; &#x6D4B;&#35797;</subject>
    <body><![CDATA[<b>bold</b> & raw]]></body>
    <total_fee>640.00</total_fee><trade_status>TRADE_CLOSED</trade_status>
  </trade></response>
  <sign>abc</sign><sign_type>MD5</sign_type>
</alipay>
`;

function malformedMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AlipayError);
    expect((e as AlipayError).code).toBe('malformed_xml');
    return (e as Error).message;
  }
  throw new Error('expected malformed_xml');
}

describe('escapeXml', () => {
  it('escapes the five XML special characters and nothing else', () => {
    expect(escapeXml(`a<b>&"c"'d' 测试`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos; 测试');
  });
});

describe('parseAlipayXml', () => {
  it('reads a pretty-printed single_trade_query reply: request echo, trade fields, sign', () => {
    const reply = parseAlipayXml(TRADE_REPLY);
    expect(reply.isSuccess).toBe(true);
    expect(reply.error).toBeUndefined();
    expect({ ...reply.request }).toEqual({
      trade_no: '20150123123123',
      _input_charset: 'utf-8',
      service: 'single_trade_query',
      partner: '2088101122136241',
    });
    expect(reply.response.trade?.trade_status).toBe('TRADE_CLOSED');
    expect(reply.response.trade?.gmt_close).toBe('2015-01-20 02:37:00');
    expect(reply.sign).toBe('abc');
    expect(reply.signType).toBe('MD5');
  });

  it('decodes named and numeric entities, and keeps CDATA text as is', () => {
    const trade = parseAlipayXml(TRADE_REPLY).response.trade!;
    expect(trade.subject).toBe('Tom & Jerry <DVD> 测试');
    expect(trade.body).toBe('<b>bold</b> & raw');
  });

  it('reads a failure reply with its error code', () => {
    const reply = parseAlipayXml('<?xml version="1.0" encoding="GBK"?><alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>');
    expect(reply).toMatchObject({ isSuccess: false, error: 'TRADE_NOT_EXIST' });
    expect(Object.keys(reply.request)).toEqual([]);
  });

  it('reads the query_timestamp shape of decisions.md §18', () => {
    const reply = parseAlipayXml(
      '<alipay><is_success>T</is_success><response><timestamp><encrypt_key>KPrzY9IGG9iM9PgLGw==</encrypt_key></timestamp></response></alipay>',
    );
    expect(reply.response.timestamp?.encrypt_key).toBe('KPrzY9IGG9iM9PgLGw==');
  });

  it('refuses a root other than <alipay>', () => {
    expect(malformedMessage(() => parseAlipayXml('<html><body>502</body></html>'))).toMatch(/root element is <html>/);
  });

  it('refuses an is_success that is neither T nor F, and a missing one', () => {
    expect(malformedMessage(() => parseAlipayXml('<alipay><is_success>Y</is_success></alipay>'))).toMatch(/expected T or F/);
    expect(malformedMessage(() => parseAlipayXml('<alipay><error>X</error></alipay>'))).toMatch(/no <is_success>/);
  });

  it('says so when the reply is an HTML page', () => {
    expect(malformedMessage(() => parseAlipayXml('<!DOCTYPE html><html></html>'))).toMatch(/HTML page/);
  });
});

describe('parseXml refuses garbage with malformed_xml', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an empty reply', '', /empty/],
    ['plain text', 'success', /expected "<"/],
    ['a mismatched closing tag', '<alipay><a></b></alipay>', /<\/b> closes <a>/],
    ['an unclosed element', '<alipay><a>x</a>', /never closed/],
    ['two root elements', '<a/><b/>', /after the root/],
    ['a bare ampersand', '<a>Tom & Jerry</a>', /not followed by an entity/],
    ['an unknown entity', '<a>&nbsp;</a>', /unknown entity/],
    ['a character reference to a control character', '<a>&#1;</a>', /not an XML character/],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>', /CDATA/],
    ['an unquoted attribute', '<a x=1/>', /not quoted/],
    ['a repeated attribute', '<a x="1" x="2"/>', /repeated/],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', /DOCTYPE/],
    ['absurd nesting', '<a>'.repeat(100) + '</a>'.repeat(100), /nested deeper/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(malformedMessage(() => parseXml(text))).toMatch(message);
    });
  }

  it('accepts comments, processing instructions, a BOM and whitespace between elements', () => {
    const el = parseXml('\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<a  x = "1" y=\'&amp;\' >\n  <b>1</b>\n  <?pi x?><c/>\n</a>\n<!-- end -->\n');
    expect(el.name).toBe('a');
    expect({ ...el.attributes }).toEqual({ x: '1', y: '&' });
    expect(el.children.map((c) => c.name)).toEqual(['b', 'c']);
  });
});

describe('readXmlElements', () => {
  it('reads the receive_address document of decisions.md §17, entities decoded', () => {
    const xml =
      '<receive_address><address>张江路 1 号 &amp; 2 号</address><fullname>张三</fullname><prov>上海</prov><city>上海</city><area>浦东新区</area><address_code>310115</address_code><mobile_phone>13800000000</mobile_phone><phone/><post>201203</post></receive_address>';
    expect({ ...readXmlElements(xml, 'receive_address') }).toEqual({
      address: '张江路 1 号 & 2 号',
      fullname: '张三',
      prov: '上海',
      city: '上海',
      area: '浦东新区',
      address_code: '310115',
      mobile_phone: '13800000000',
      phone: '',
      post: '201203',
    });
  });

  it('reads the root when no parent tag is given, and finds a nested parent', () => {
    expect({ ...readXmlElements('<x><a>1</a></x>') }).toEqual({ a: '1' });
    expect({ ...readXmlElements('<x><y><a>2</a></y></x>', 'y') }).toEqual({ a: '2' });
  });

  it('refuses a document without the parent tag', () => {
    expect(malformedMessage(() => readXmlElements('<x/>', 'receive_address'))).toMatch(/no <receive_address>/);
  });
});

describe('renderAlipayXml', () => {
  it('writes a failure reply with only the error (decisions.md §19)', () => {
    expect(renderAlipayXml({ isSuccess: false, error: 'TRADE_NOT_EXIST', sign: 'x' }, 'utf-8')).toBe(
      '<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>',
    );
  });

  it('writes a success reply in the order is_success, request, response, sign, sign_type, escaping text', () => {
    const xml = renderAlipayXml(
      {
        isSuccess: true,
        request: { service: 'single_trade_query', out_trade_no: 'a&"b"', empty: '' },
        response: { name: 'trade', fields: { subject: '<测试>', total_fee: '1.00' } },
        sign: 's',
        signType: 'MD5',
      },
      'gbk',
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="gbk"?><alipay><is_success>T</is_success>' +
        '<request><param name="service">single_trade_query</param><param name="out_trade_no">a&amp;&quot;b&quot;</param></request>' +
        '<response><trade><subject>&lt;测试&gt;</subject><total_fee>1.00</total_fee></trade></response>' +
        '<sign>s</sign><sign_type>MD5</sign_type></alipay>',
    );
  });

  it('round-trips through parseAlipayXml', () => {
    const fields = { subject: `Tom & "Jerry" <'测试'>`, body: ']]> and &amp;' };
    const reply = parseAlipayXml(renderAlipayXml({ isSuccess: true, request: { a: '<1>' }, response: { name: 'trade', fields } }));
    expect({ ...reply.response.trade }).toEqual(fields);
    expect(reply.request.a).toBe('<1>');
  });

  it('refuses an element name that is not XML', () => {
    expect(() => renderAlipayXml({ isSuccess: true, response: { name: 'a b', fields: {} } })).toThrow(/not a valid XML element name/);
  });
});
