// A real OpenID Connect provider for trede's tests: panva/oidc-provider (OpenID Certified),
// with a minimal login page of its own. Started by the tests on loopback; never in use.
//
//   node provider.mjs <port> <client_id> <client_secret> <redirect_uri>
//
// The login page asks for a subject (the stable user id) and an e-mail address, and whether
// the person used a second factor (then the ID token's amr says ["pwd", "mfa"]).
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const emails = new Map();

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: ['trede-test-only'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: emails.get(id) ?? `${id}@school.example`, email_verified: true, name: id };
      },
    };
  },
});
provider.proxy = false;

async function form(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'POST' && match[2]) {
    const body = await form(ctx.req);
    const accountId = body.get('login') || 'onbekend';
    if (body.get('email')) emails.set(accountId, body.get('email'));
    const amr = body.get('mfa') ? ['pwd', 'mfa'] : ['pwd'];
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId, amr } }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'consent') { // a school's own application: consent is given
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
    if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Testaanbieder</title></head><body>
<h1>Inloggen bij de testaanbieder</h1>
<form method="post" action="/interaction/${escape(match[1])}/login">
<label for="login">Gebruiker (subject)</label><input id="login" name="login" required>
<label for="email">E-mailadres</label><input id="email" name="email">
<label><input type="checkbox" name="mfa" value="1"> met tweede factor</label>
<button type="submit">Inloggen</button></form></body></html>`;
  return undefined;
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
