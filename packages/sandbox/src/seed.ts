import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { hashPassword } from './passwords.js';
import { SERVED_SERVICES } from './service-catalogue.js';
import { MERCHANT_RSA_PRIVATE_KEY, MERCHANT_RSA_PUBLIC_KEY } from './seed-keys.js';
import type { AddressesTable, Database } from './store/schema.js';

/** The seeded merchant (a contracted account: seller_id = partner). */
export const SEED_MERCHANT = {
  partner: '2088328287403500',
  key: 'ymcws8c0kb3i51tmtxc5y8na6rxlfgtp',
  sellerEmail: 'seller@sandbox.test',
  displayName: '沙箱测试商户',
} as const;

/** Three months (decisions.md §10). */
export const DEFAULT_REFUND_WINDOW_DAYS = 90;

/** A saved address as seeded: the addresses row without its id, owner and place in the list. */
export type SeedAddress = Omit<Selectable<AddressesTable>, 'id' | 'user_id' | 'position'>;

export interface SeedBuyer {
  userId: string;
  login: string;
  email: string;
  realName: string;
  mobile: string;
  loginPassword: string;
  payPassword: string;
  balanceFen: number;
  /** What the README and the CLI say about this buyer. */
  note: string;
  addresses: SeedAddress[];
}

/**
 * The seeded buyers. Region names follow the national division names (decisions.md §17:
 * municipalities without 市, districts in full).
 */
export const SEED_BUYERS: readonly SeedBuyer[] = [
  {
    userId: '2088627882813857',
    login: 'buyer@sandbox.test',
    email: 'buyer@sandbox.test',
    realName: '张三',
    mobile: '13800138000',
    loginPassword: '111111',
    payPassword: '111111',
    balanceFen: 10_000_000,
    note: 'the default buyer, first address in 上海 / 浦东新区',
    addresses: [
      {
        fullname: '张三',
        prov: '上海',
        city: '上海',
        area: '浦东新区',
        address: '世纪大道100号环球金融中心8层',
        address_code: '310115',
        mobile_phone: '13800138000',
        phone: '021-58888888',
        post: '200120',
      },
      {
        fullname: '张三',
        prov: '北京',
        city: '北京',
        area: '朝阳区',
        address: '建国路88号SOHO现代城A座1201',
        address_code: '110105',
        mobile_phone: '13800138000',
        phone: '010-65666666',
        post: '100022',
      },
    ],
  },
  {
    userId: '2088131966186911',
    login: 'poor@sandbox.test',
    email: 'poor@sandbox.test',
    realName: '李四',
    mobile: '13900139000',
    loginPassword: '111111',
    payPassword: '111111',
    balanceFen: 100,
    note: 'too little to pay (BALANCE_NOT_ENOUGH on anything dearer)',
    addresses: [
      {
        fullname: '李四',
        prov: '浙江省',
        city: '杭州市',
        area: '西湖区',
        address: '文三路478号',
        address_code: '330106',
        mobile_phone: '13900139000',
        phone: '0571-88158090',
        post: '310012',
      },
    ],
  },
  {
    userId: '2088437972265782',
    login: 'gbk@sandbox.test',
    email: 'gbk@sandbox.test',
    realName: '王小明',
    mobile: '13700137000',
    loginPassword: '111111',
    payPassword: '111111',
    balanceFen: 5_000_000,
    note: 'every name and address in GBK-encodable characters, for GBK merchants',
    addresses: [
      {
        fullname: '王小明',
        prov: '广东省',
        city: '广州市',
        area: '天河区',
        address: '天河路385号太古汇一座',
        address_code: '440106',
        mobile_phone: '13700137000',
        phone: '020-38888888',
        post: '510620',
      },
    ],
  },
  {
    userId: '2088324253488195',
    login: 'family@sandbox.test',
    email: 'family@sandbox.test',
    realName: '赵敏',
    mobile: '13600136000',
    loginPassword: '111111',
    payPassword: '111111',
    balanceFen: 2_000_000,
    note: 'several saved addresses (home, office, parents)',
    addresses: [
      {
        fullname: '赵敏',
        prov: '四川省',
        city: '成都市',
        area: '武侯区',
        address: '人民南路四段1号',
        address_code: '510107',
        mobile_phone: '13600136000',
        phone: '028-85555555',
        post: '610041',
      },
      {
        fullname: '赵敏',
        prov: '重庆',
        city: '重庆',
        area: '渝中区',
        address: '解放碑民权路28号英利国际金融中心30层',
        address_code: '500103',
        mobile_phone: '13600136000',
        phone: '023-63333333',
        post: '400010',
      },
      {
        fullname: '赵大山',
        prov: '江苏省',
        city: '南京市',
        area: '玄武区',
        address: '中山路18号',
        address_code: '320102',
        mobile_phone: '13500135000',
        phone: '025-84444444',
        post: '210018',
      },
    ],
  },
];

export interface SeedOptions {
  partner?: string;
  key?: string;
  sellerEmail?: string;
  /** Creation time written on new rows. */
  now?: number;
}

/**
 * Seeds the store, deterministically and idempotently: rows that exist are left alone, so
 * re-running on an existing database changes nothing. `partner`/`key`/`sellerEmail` replace the
 * merchant identity (an existing merchant with that partner gets the given key and email).
 * Returns the merchant's partner.
 */
export async function seed(db: Kysely<Database>, options: SeedOptions = {}): Promise<string> {
  const now = options.now ?? Date.now();
  const partner = options.partner ?? SEED_MERCHANT.partner;
  const key = options.key ?? SEED_MERCHANT.key;
  const sellerEmail = options.sellerEmail ?? SEED_MERCHANT.sellerEmail;

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('merchants')
      .values({
        partner,
        md5_key: key,
        seller_email: sellerEmail,
        seller_id: partner,
        display_name: SEED_MERCHANT.displayName,
        sign_types: JSON.stringify(['MD5', 'RSA']),
        rsa_public_key: MERCHANT_RSA_PUBLIC_KEY,
        rsa_private_key: MERCHANT_RSA_PRIVATE_KEY,
        // Every service the sandbox serves: the seeded merchant has contracted all of them.
        services: JSON.stringify(SERVED_SERVICES),
        anti_phishing: 0,
        ip_check: 0,
        advanced_instant: 0,
        self_timeout: 1,
        refund_window_days: DEFAULT_REFUND_WINDOW_DAYS,
        created_at: now,
      })
      .onConflict((oc) => oc.column('partner').doNothing())
      .execute();
    // Explicit identity options win over what an earlier run stored.
    const patch: { md5_key?: string; seller_email?: string } = {};
    if (options.key !== undefined) patch.md5_key = options.key;
    if (options.sellerEmail !== undefined) patch.seller_email = options.sellerEmail;
    if (Object.keys(patch).length > 0) await trx.updateTable('merchants').set(patch).where('partner', '=', partner).execute();

    for (const [position, b] of SEED_BUYERS.entries()) {
      await trx
        .insertInto('buyers')
        .values({
          user_id: b.userId,
          login: b.login,
          email: b.email,
          real_name: b.realName,
          mobile: b.mobile,
          login_password_hash: hashPassword(b.loginPassword, saltFor(b.userId, 'login')),
          pay_password_hash: hashPassword(b.payPassword, saltFor(b.userId, 'pay')),
          balance_fen: b.balanceFen,
          position,
          created_at: now,
        })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
      for (const [i, a] of b.addresses.entries()) {
        await trx
          .insertInto('addresses')
          .values({ user_id: b.userId, position: i, ...a })
          .onConflict((oc) => oc.columns(['user_id', 'position']).doNothing())
          .execute();
      }
    }
  });
  return partner;
}

/** A salt derived from the user id, so two fresh databases hold byte-identical seeds. */
function saltFor(userId: string, purpose: string): Buffer {
  return createHash('sha256').update(`alipay-legacy sandbox ${purpose} ${userId}`).digest().subarray(0, 16);
}
