/** Reads the sandbox's pages the way a browser would, for HTTP-level flow tests. */

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!);
}

/** The hidden and radio inputs of the first form whose action matches, with the action. */
export function readForm(html: string, actionIncludes: string): { action: string; fields: Record<string, string> } {
  const forms = html.split(/<form/i).slice(1);
  for (const form of forms) {
    const action = /action="([^"]*)"/.exec(form)?.[1];
    if (action === undefined || !unescapeHtml(action).includes(actionIncludes)) continue;
    const fields: Record<string, string> = {};
    for (const input of form.split('</form>')[0]!.matchAll(/<input([^>]*)>/g)) {
      const attrs = input[1]!;
      const name = /name="([^"]*)"/.exec(attrs)?.[1];
      const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
      const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
      if (!name) continue;
      if (type === 'radio' && !/checked/.test(attrs)) continue;
      if (type === 'submit') continue;
      fields[unescapeHtml(name)] = unescapeHtml(value);
    }
    return { action: unescapeHtml(action), fields };
  }
  throw new Error(`no form with action containing ${actionIncludes}`);
}

/** Posts a form to the sandbox (its own pages are UTF-8), not following redirects. */
export async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}
