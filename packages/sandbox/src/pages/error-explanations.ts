/**
 * The 调试错误 page's explanation of each code. The wording of the codes the tutorials
 * list (protocol.md §12.15) is theirs ("原因：…"); the others are written from protocol.md §7.2–§7.3.
 */
const EXPLANATIONS: Record<string, string> = {
  // protocol.md §12.15
  HAS_NO_PRIVILEGE: '没有该接口的权限',
  ILLEGAL_PARTNER_EXTERFACE: '没有该接口的权限',
  ILLEGAL_PARTNER: '合作身份者 ID（partner）填写错误',
  ILLEGAL_ARGUMENT: '参数或参数对应的值的格式不正确',
  ILLEGAL_SIGN: '参数格式或交易安全校验码（key）不正确，编码问题',
  SELLER_NOT_IN_SPECIFIED_SELLERS: '收款支付宝账号（参数 seller_email）不是签约的支付宝账号',
  ILLEGAL_LOGISTICS_FORMAT: '物流参数格式问题',
  TRADE_NOT_ALLOWED_PAY: '该笔交易已经关闭或已经付过款，不能再付款。',
  SELLER_NOT_EXIST: '收款支付宝账号（参数 seller_email）填写错误',
  BUYER_SELLER_EQUAL: '买家支付宝账号与卖家支付宝账号相同，不允许付款。',
  TRADE_DATA_MATCH_ERROR: '第一次请求给支付宝的数据与第二次不匹配',
  ILLEGAL_SERVICE: '服务名称错误、请求参数全部丢失',
  ILLEGAL_FEE_PARAM: '金额格式不正确',
  ROYALTY_FORAMT_ERROR: '分润格式不正确',
  ILLEGAL_SIGN_TYPE: '签名类型错误',
  SELF_TIMEOUT_NOT_SUPPORT: '自定义超时功能不支持',
  ILLEGAL_ANTI_PHISHING_KEY: '防钓鱼时间戳不正确',
  ILLEGAL_EXTER_INVOKE_IP: '防钓鱼的获取用户客户端 IP 没有设置或设置不正确',
  // protocol.md §7.2–§7.3
  ANTI_PHISHING_KEY_TIMEOUT: '防钓鱼时间戳已过期（有效时间 30 秒，且只能使用一次）',
  ILLEGAL_CHARSET: '参数 _input_charset 的字符集不支持（请使用 utf-8 或 gbk）',
  HAS_NO_PUBLICKEY: '使用 RSA 签名前，需先上传商户的 RSA 公钥',
  ILLEGAL_PAYMENT_TYPE: '支付类型（参数 payment_type）不正确',
  TOTAL_FEE_LESSEQUAL_ZERO: '交易金额必须大于 0',
  TOTAL_FEE_OUT_OF_RANGE: '交易金额超出允许的范围',
  PARAMTER_IS_NULL: '必填参数为空',
  TRADE_ENGINE_ERROR: '交易创建失败（如参数过长）',
  TRADE_NOT_EXIST: '交易不存在',
  TRADE_STATUS_NOT_AVAILD: '交易状态不允许此操作',
  BUYER_NOT_EXIST: '买家支付宝账号不存在',
  USER_NOT_EXIST: '支付宝账号不存在',
  OUT_TRADE_NO_EXIST: '商户网站唯一订单号已存在',
  BATCH_NO_EXIST: '退款批次号已存在',
  REFUND_AMOUNT_NOT_VALID: '退款金额不正确',
  TRADE_HAS_REFUNDED: '交易已经退款',
  TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH: '账户余额不足',
  ILLEGAL_TARGET_SERVICE: '目标服务（参数 target_service）不正确',
  SYSTEM_ERROR: '支付宝系统错误',
};

/** The Chinese cause of a code, or a generic one for a code the list does not know. */
export function explainErrorCode(code: string): string {
  return EXPLANATIONS[code] ?? '请求参数不符合接口要求';
}

/** The sandbox's own refusals (services/errors.ts), as the buyer's and seller's pages word them. */
const SANDBOX_EXPLANATIONS: Record<string, string> = {
  WRONG_LOGIN: '账户名或登录密码不正确，请重新输入。',
  WRONG_PAY_PASSWORD: '支付密码不正确，请重新输入。',
  BALANCE_NOT_ENOUGH: '余额不足。',
  NOT_FOUND: '没有找到要操作的对象。',
  BAD_STATE: '交易当前的状态不允许此操作。',
  BAD_INPUT: '填写的内容不正确。',
};

/** A refusal shown on a console or cashier page: the sandbox's own codes, then the gateway's. */
export function explainRefusal(code: string): string {
  return SANDBOX_EXPLANATIONS[code] ?? explainErrorCode(code);
}
