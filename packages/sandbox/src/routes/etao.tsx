import { Hono, type Context } from 'hono';
import { EtaoPage, type EtaoForm } from '../pages/etao-page.js';
import { etaoEntryUrl, getBuyer, listMerchants } from '../services/index.js';
import { formText, readForm } from './form-input.js';
import { readLogin } from './login-cookie.js';
import { describeError, replyToError } from './replies.js';
import type { AppEnv, Web } from './web-context.js';

/**
 * `/etao`: the etao entry (protocol.md §12.13, decisions.md §33). GET shows the form; POST sends
 * the browser (303) to the merchant's login return_url, signed, with target_url, and with the
 * buyer signed in at the buyer console when there is one. A refusal shows the form again with the
 * reason (400) and changes nothing.
 */
export function etaoRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  async function page(c: Context<AppEnv>, form: EtaoForm, error?: string) {
    const userId = readLogin(c, web, { kind: 'buyer' });
    const [merchants, buyer] = await Promise.all([listMerchants(deps), userId ? getBuyer(deps, userId) : undefined]);
    const status = error ? 400 : 200;
    return c.html(<EtaoPage merchants={merchants} buyer={buyer} form={form} now={deps.clock.now()} {...(error ? { error } : {})} />, status);
  }

  app.get('/', (c) => page(c, { partner: '', return_url: '', target_url: '', charset: 'utf-8', sign_type: 'MD5' }));

  app.post('/', async (c) => {
    const fields = await readForm(c);
    const form: EtaoForm = {
      partner: formText(fields, 'partner').trim(),
      return_url: formText(fields, 'return_url').trim(),
      target_url: formText(fields, 'target_url').trim(),
      charset: formText(fields, 'charset') || 'utf-8',
      sign_type: formText(fields, 'sign_type') || 'MD5',
    };
    const userId = readLogin(c, web, { kind: 'buyer' });
    try {
      const url = await etaoEntryUrl(deps, {
        partner: form.partner,
        returnUrl: form.return_url,
        targetUrl: form.target_url,
        charset: form.charset,
        signType: form.sign_type,
        ...(userId ? { userId } : {}),
      });
      return c.redirect(url, 303);
    } catch (err) {
      const { code, message, callerFault } = describeError(err);
      if (!callerFault) return replyToError(err, c);
      return page(c, form, `${code}: ${message}`);
    }
  });

  return app;
}
