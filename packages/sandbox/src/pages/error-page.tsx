import { explainErrorCode } from './error-explanations.js';
import { Layout } from './layout.js';

export interface ErrorPageProps {
  code: string;
  /** The technical detail (which parameter, what was expected): shown small, for the developer. */
  detail?: string;
}

/**
 * The gateway's 调试错误 page (decisions.md §19; wording from protocol.md §12.15 and §7.1):
 * HTTP 200, no redirect, the code in a meta tag for test tools.
 */
export function ErrorPage(props: ErrorPageProps) {
  return (
    <Layout head={<meta name="alipay-error-code" content={props.code} />}>
      <h1 class="error">调试错误，请回到请求来源地，重新发起请求。</h1>
      <p>
        错误代码 <strong id="error-code">{props.code}</strong>
      </p>
      <p>原因：{explainErrorCode(props.code)}</p>
      <p class="notice">
        说明：如果您不是因为本接口集成调试而看见该错误提醒，请联系本次请求来源网站，本错误属于网站集成接口的错误。
      </p>
      {props.detail ? <p class="muted">详细信息：{props.detail}</p> : null}
    </Layout>
  );
}
