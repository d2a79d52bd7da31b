import type { SandboxDeps } from '../deps.js';
import { checkPassword } from '../passwords.js';
import { toAddress, toBuyer } from '../store/rows.js';
import { SandboxError } from './errors.js';
import type { Address, Buyer } from './types.js';

export async function findBuyerByLogin(deps: SandboxDeps, login: string): Promise<Buyer | undefined> {
  const row = await deps.db.selectFrom('buyers').selectAll().where('login', '=', login.trim()).executeTakeFirst();
  return row ? toBuyer(row) : undefined;
}

export async function getBuyer(deps: SandboxDeps, userId: string): Promise<Buyer | undefined> {
  const row = await deps.db.selectFrom('buyers').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? toBuyer(row) : undefined;
}

/** The cashier's login step. Throws SandboxError WRONG_LOGIN for an unknown login or a wrong password (one message for both). */
export async function checkLoginPassword(deps: SandboxDeps, login: string, password: string): Promise<Buyer> {
  const row = await deps.db.selectFrom('buyers').selectAll().where('login', '=', login.trim()).executeTakeFirst();
  if (!row || !checkPassword(password, row.login_password_hash)) throw new SandboxError('WRONG_LOGIN', '账户名或登录密码不正确');
  return toBuyer(row);
}

/** The cashier's payment password. Throws SandboxError WRONG_PAY_PASSWORD. */
export async function checkPayPassword(deps: SandboxDeps, userId: string, password: string): Promise<void> {
  const row = await deps.db.selectFrom('buyers').select('pay_password_hash').where('user_id', '=', userId).executeTakeFirst();
  if (!row || !checkPassword(password, row.pay_password_hash)) throw new SandboxError('WRONG_PAY_PASSWORD', '支付密码不正确');
}

/** The buyer's saved addresses, first (default) first. */
export async function listAddresses(deps: SandboxDeps, userId: string): Promise<Address[]> {
  const rows = await deps.db.selectFrom('addresses').selectAll().where('user_id', '=', userId).orderBy('position').execute();
  return rows.map(toAddress);
}

export async function listBuyers(deps: SandboxDeps): Promise<Buyer[]> {
  const rows = await deps.db.selectFrom('buyers').selectAll().orderBy('position').execute();
  return rows.map(toBuyer);
}
