import { AlipayError } from '../errors.js';
import { baseFields, malformed, required, type MessageBase, type MessageVia } from './message-base.js';
import { parseReceiveAddress, type ParsedReceiveAddress } from './receive-address.js';

/**
 * The return of the address query, `user.logistics.address.query` (protocol.md §4.6,
 * decisions.md §17): a POST form to `return_url` with the buyer's chosen address as XML.
 */
export interface AddressReturnMessage extends MessageBase {
  kind: 'address_return';
  /** The buyer's Alipay user id. */
  user_id: string;
  /** The XML document exactly as received. */
  receive_address: string;
  /** `receive_address`, parsed. */
  address: ParsedReceiveAddress;
}

/**
 * Reads the address query's return; `user_id` and a well-formed `receive_address` are required.
 * @example
 * parseAddressReturn({ is_success: 'T', user_id: '2088…', receive_address: '<receive_address><prov>上海</prov></receive_address>' }, 'return').address.prov // '上海'
 */
export function parseAddressReturn(raw: Readonly<Record<string, string>>, via: MessageVia): AddressReturnMessage {
  const xml = required(raw, 'receive_address', 'user.logistics.address.query return');
  let address: ParsedReceiveAddress;
  try {
    address = parseReceiveAddress(xml);
  } catch (err) {
    if (err instanceof AlipayError) throw malformed(`receive_address is not a readable XML document: ${err.message}`);
    throw err;
  }
  return {
    ...baseFields(raw, via),
    kind: 'address_return',
    user_id: required(raw, 'user_id', 'user.logistics.address.query return'),
    receive_address: xml,
    address,
  };
}
