#!/usr/bin/env node
// Synthetic credentials in providers' documented formats, for the recall corpus.
//
//   node synthetic-tokens.mjs FORMAT [COUNT] [FIRST]   print COUNT values (default 1) from index FIRST (default 1)
//   node synthetic-tokens.mjs --list                   every format and the shape it follows
//
// Values are deterministic (SHA-256 of "FORMAT#INDEX" drives the characters), so the same command
// prints the same value again. Where a format's alphabet allows it, the random part starts with the
// marker LGrc / LGRC / lgrc ("LeakGuard recall corpus"): the value still has the documented shape
// (prefix, length, alphabet, checksum) but is visibly ours. Hex-only and digit-only parts carry no
// marker. None of these is, or was ever, a working credential.
import { createHash } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', LOWER = 'abcdefghijklmnopqrstuvwxyz', DIGITS = '0123456789';
const ALNUM = DIGITS + UPPER + LOWER;            // base62, in the order GitHub's checksum encoding uses
const HEX = '0123456789abcdef', HEXU = '0123456789ABCDEF';
const B64 = UPPER + LOWER + DIGITS + '+/', B64URL = UPPER + LOWER + DIGITS + '-_';
const B32 = UPPER + '234567', B32L = LOWER + '234567';
const UPNUM = UPPER + DIGITS, LOWNUM = LOWER + DIGITS;

class Random {
  constructor(seed) { this.seed = seed; this.block = 0; this.bytes = []; this.marked = false; }
  byte() {
    if (this.bytes.length === 0) this.bytes = [...createHash('sha256').update(`${this.seed}/${this.block++}`).digest()];
    return this.bytes.shift();
  }
  pick(alphabet) {  // rejection sampling keeps every symbol equally likely
    const limit = 256 - (256 % alphabet.length);
    for (;;) { const b = this.byte(); if (b < limit) return alphabet[b % alphabet.length]; }
  }
  digits(n) { let s = this.pick('123456789'); while (s.length < n) s += this.pick(DIGITS); return s; }
  // n symbols of the alphabet; in a value's first part of 16 or more symbols, the first four are
  // the corpus marker when it fits.
  chars(alphabet, n) {
    let s = '';
    if (n >= 16 && !this.marked) {
      this.marked = true;
      const marker = ['LGrc', 'LGRC', 'lgrc'].find(m => [...m].every(c => alphabet.includes(c)));
      if (marker) s = marker;
    }
    while (s.length < n) s += this.pick(alphabet);
    return s;
  }
  uuid() { const h = this.chars(HEX, 32); return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`; }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(text) {
  let c = 0xffffffff;
  for (const b of Buffer.from(text)) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function base62(n, width) { let s = ''; do { s = ALNUM[n % 62] + s; n = Math.floor(n / 62); } while (n > 0); return s.padStart(width, '0'); }
// GitHub's and npm's tokens: 30 random base62 characters, then their CRC32 in 6 base62 digits.
const checksummed = (prefix) => (r) => { const body = r.chars(ALNUM, 30); return prefix + body + base62(crc32(body), 6); };
const b64url = (text) => Buffer.from(text).toString('base64url');
const b64 = (text) => Buffer.from(text).toString('base64');
function jwt(r, payload) {
  return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${r.chars(B64URL, 43)}`;
}
// A PEM body: DER's opening bytes for the key type, then random base64 in 64-column lines.
function pemBody(r, derStart, lines) {
  const text = derStart + r.chars(B64, 64 * lines - derStart.length - 3) + '==';
  return text.match(/.{1,64}/g).join('\n');
}

// name → [documented shape, generator]
export const formats = {
  'github-classic-pat': ['ghp_ + 30 base62 + CRC32 of them in 6 base62', checksummed('ghp_')],
  'github-oauth': ['gho_ + 30 base62 + CRC32 (6 base62)', checksummed('gho_')],
  'github-app-install': ['ghs_ + 30 base62 + CRC32 (6 base62)', checksummed('ghs_')],
  'github-app-user': ['ghu_ + 30 base62 + CRC32 (6 base62)', checksummed('ghu_')],
  'github-refresh': ['ghr_ + 30 base62 + CRC32 (6 base62)', checksummed('ghr_')],
  'github-fine-grained': ['github_pat_ + 22 base62 + _ + 59 base62', r => `github_pat_11${r.chars(UPNUM, 20)}_${r.chars(ALNUM, 59)}`],
  'github-legacy-40hex': ['40 hex (pre-2021 OAuth/PAT)', r => r.chars(HEX, 40)],
  'npm-token': ['npm_ + 30 base62 + CRC32 (6 base62)', checksummed('npm_')],
  'gitlab-pat': ['glpat- + 20 [0-9A-Za-z_-]', r => 'glpat-' + r.chars(ALNUM + '_-', 20)],
  'gitlab-deploy': ['gldt- + 20 [0-9A-Za-z_-]', r => 'gldt-' + r.chars(ALNUM + '_-', 20)],
  'gitlab-trigger': ['glptt- + 40 hex', r => 'glptt-' + r.chars(HEX, 40)],
  'gitlab-runner': ['glrt- + 20 [0-9A-Za-z_-]', r => 'glrt-' + r.chars(ALNUM + '_-', 20)],
  'gitlab-oauth-secret': ['gloas- + 64 hex', r => 'gloas-' + r.chars(HEX, 64)],
  'bitbucket-app-password': ['ATBB + 32 base62', r => 'ATBB' + r.chars(ALNUM, 32)],
  'atlassian-api-token': ['ATATT3xFfGF0 + 180 base64url + = + 8 hex', r => 'ATATT3xFfGF0' + r.chars(B64URL, 180) + '=' + r.chars(HEXU, 8)],
  'slack-bot': ['xoxb- + 10-13 digits + - + 10-13 digits + - + 24 base62', r => `xoxb-${r.digits(12)}-${r.digits(13)}-${r.chars(ALNUM, 24)}`],
  'slack-user': ['xoxp- + digits-digits-digits- + 32 hex', r => `xoxp-${r.digits(12)}-${r.digits(12)}-${r.digits(13)}-${r.chars(HEX, 32)}`],
  'slack-app': ['xapp-1- + A + 10 upper/digits + - + 13 digits + - + 64 hex', r => `xapp-1-A${r.chars(UPNUM, 10)}-${r.digits(13)}-${r.chars(HEX, 64)}`],
  'slack-webhook': ['https://hooks.slack.com/services/T…/B…/ + 24 base62', r => `https://hooks.slack.com/services/T${r.chars(UPNUM, 10)}/B${r.chars(UPNUM, 10)}/${r.chars(ALNUM, 24)}`],
  'slack-workflow-webhook': ['https://hooks.slack.com/triggers/T…/digits/32 hex', r => `https://hooks.slack.com/triggers/T${r.chars(UPNUM, 10)}/${r.digits(13)}/${r.chars(HEX, 32)}`],
  'teams-webhook': ['https://TENANT.webhook.office.com/webhookb2/UUID@UUID/IncomingWebhook/32 hex/UUID', r => `https://contoso.webhook.office.com/webhookb2/${r.uuid()}@${r.uuid()}/IncomingWebhook/${r.chars(HEX, 32)}/${r.uuid()}`],
  'teams-workflow-webhook': ['Power Automate workflow URL with sig= (43 base64url)', r => `https://prod-27.westeurope.logic.azure.com:443/workflows/${r.chars(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${r.chars(B64URL, 43)}`],
  'discord-webhook': ['https://discord.com/api/webhooks/ + 18-19 digits + / + 68 base64url', r => `https://discord.com/api/webhooks/${r.digits(19)}/${r.chars(B64URL, 68)}`],
  'discord-bot': ['base64(user id) . 6 base64url . 38 base64url', r => `${b64(r.digits(18)).replace(/=+$/, '')}.${r.chars(B64URL, 6)}.${r.chars(B64URL, 38)}`],
  'telegram-bot': ['8-10 digits : AA + 33 base64url', r => `${r.digits(10)}:AA${r.chars(B64URL, 33)}`],
  'aws-access-key-id': ['AKIA + 16 base32 upper', r => 'AKIA' + r.chars(B32, 16)],
  'aws-temp-access-key-id': ['ASIA + 16 base32 upper', r => 'ASIA' + r.chars(B32, 16)],
  'aws-secret-access-key': ['40 base64', r => r.chars(B64, 40)],
  'aws-session-token': ['IQoJb3JpZ2luX2Vj + ~300 base64', r => 'IQoJb3JpZ2luX2Vj' + r.chars(B64, 340) + '='],
  'google-api-key': ['AIza + 35 [A-Za-z0-9_-]', r => 'AIza' + r.chars(B64URL, 35)],
  'google-oauth-client-secret': ['GOCSPX- + 28 [A-Za-z0-9_-]', r => 'GOCSPX-' + r.chars(B64URL, 28)],
  'google-oauth-refresh': ['1// + 0 + 100 [A-Za-z0-9_-]', r => '1//0' + r.chars(B64URL, 100)],
  'firebase-fcm-server-key': ['AAAA + 7 base64url + : + APA91b + 134 base64url', r => `AAAA${r.chars(B64URL, 7)}:APA91b${r.chars(B64URL, 134)}`],
  'azure-storage-key': ['86 base64 + ==', r => r.chars(B64, 86) + '=='],
  'azure-devops-pat': ['84 chars: 52 base62… with AZDO at 76-79', r => r.chars(ALNUM, 76) + 'AZDO' + r.chars(ALNUM, 4)],
  'azure-devops-pat-legacy': ['52 base32 lower', r => r.chars(B32L, 52)],
  'azure-entra-client-secret': ['3 base62 + 8Q~ + 34 [A-Za-z0-9_.~-]', r => r.chars(ALNUM, 3) + '8Q~' + r.chars(ALNUM + '_.~-', 34)],
  'azure-apim-key': ['32 hex', r => r.chars(HEX, 32)],
  'azure-sas-sig': ['sig= 43 base64 + %3D', r => encodeURIComponent(r.chars(B64, 43) + '=')],
  'stripe-live-secret': ['sk_live_ + 99 base62 (51+ chars in older keys)', r => 'sk_live_51' + r.chars(ALNUM, 97)],
  'stripe-test-secret': ['sk_test_ + 99 base62', r => 'sk_test_51' + r.chars(ALNUM, 97)],
  'stripe-restricted': ['rk_live_ + 99 base62', r => 'rk_live_51' + r.chars(ALNUM, 97)],
  'stripe-webhook-secret': ['whsec_ + 32 base62', r => 'whsec_' + r.chars(ALNUM, 32)],
  'stripe-publishable': ['pk_live_ + 99 base62 (public by design)', r => 'pk_live_51' + r.chars(ALNUM, 97)],
  'twilio-api-key-sid': ['SK + 32 hex', r => 'SK' + r.chars(HEX, 32)],
  'twilio-account-sid': ['AC + 32 hex (an identifier)', r => 'AC' + r.chars(HEX, 32)],
  'hex32': ['32 hex (auth tokens, API keys of many services)', r => r.chars(HEX, 32)],
  'hex40': ['40 hex', r => r.chars(HEX, 40)],
  'hex64': ['64 hex', r => r.chars(HEX, 64)],
  'alnum32': ['32 base62', r => r.chars(ALNUM, 32)],
  'alnum40': ['40 base62', r => r.chars(ALNUM, 40)],
  'uuid': ['RFC 4122 version 4 UUID', r => r.uuid()],
  'sendgrid': ['SG. + 22 base64url + . + 43 base64url', r => `SG.${r.chars(B64URL, 22)}.${r.chars(B64URL, 43)}`],
  'mailgun-key': ['key- + 32 hex', r => 'key-' + r.chars(HEX, 32)],
  'mailchimp': ['32 hex + -us + 1-2 digits', r => r.chars(HEX, 32) + '-us' + r.digits(2)],
  'brevo': ['xkeysib- + 64 hex + - + 16 base62', r => `xkeysib-${r.chars(HEX, 64)}-${r.chars(ALNUM, 16)}`],
  'mailersend': ['mlsn. + 64 hex', r => 'mlsn.' + r.chars(HEX, 64)],
  'resend': ['re_ + 8 base62 + _ + 24 base62', r => `re_${r.chars(ALNUM, 8)}_${r.chars(ALNUM, 24)}`],
  'postmark': ['UUID server token', r => r.uuid()],
  'pypi': ['pypi-AgEIcHlwaS5vcmc + 150+ base64url (a macaroon)', r => 'pypi-AgEIcHlwaS5vcmcCJD' + r.chars(B64URL, 150)],
  'nuget': ['oy2 + 43 lower/digits', r => 'oy2' + r.chars(LOWNUM, 43)],
  'dockerhub-pat': ['dckr_pat_ + 27 [A-Za-z0-9_-]', r => 'dckr_pat_' + r.chars(B64URL, 27)],
  'rubygems': ['rubygems_ + 48 hex', r => 'rubygems_' + r.chars(HEX, 48)],
  'cratesio': ['cio + 32 base62', r => 'cio' + r.chars(ALNUM, 32)],
  'clojars': ['CLOJARS_ + 60 hex', r => 'CLOJARS_' + r.chars(HEX, 60)],
  'artifactory-api-key': ['AKCp + 69 base62', r => 'AKCp' + r.chars(ALNUM, 69)],
  'openai-project': ['sk-proj- + 156 [A-Za-z0-9_-] with T3BlbkFJ inside', r => `sk-proj-${r.chars(B64URL, 74)}T3BlbkFJ${r.chars(B64URL, 74)}`],
  'openai-legacy': ['sk- + 20 base62 + T3BlbkFJ + 20 base62', r => `sk-${r.chars(ALNUM, 20)}T3BlbkFJ${r.chars(ALNUM, 20)}`],
  'anthropic': ['sk-ant-api03- + 93 [A-Za-z0-9_-] + AA', r => `sk-ant-api03-${r.chars(B64URL, 93)}AA`],
  'huggingface': ['hf_ + 34 letters', r => 'hf_' + r.chars(UPPER + LOWER, 34)],
  'groq': ['gsk_ + 52 base62', r => 'gsk_' + r.chars(ALNUM, 52)],
  'xai': ['xai- + 80 base62', r => 'xai-' + r.chars(ALNUM, 80)],
  'perplexity': ['pplx- + 48 base62', r => 'pplx-' + r.chars(ALNUM, 48)],
  'deepseek': ['sk- + 32 hex', r => 'sk-' + r.chars(HEX, 32)],
  'openrouter': ['sk-or-v1- + 64 hex', r => 'sk-or-v1-' + r.chars(HEX, 64)],
  'replicate': ['r8_ + 37 base62', r => 'r8_' + r.chars(ALNUM, 37)],
  'nvidia-ngc': ['nvapi- + 64 [A-Za-z0-9_-]', r => 'nvapi-' + r.chars(B64URL, 64)],
  'langsmith': ['lsv2_pt_ + 32 hex + _ + 10 hex', r => `lsv2_pt_${r.chars(HEX, 32)}_${r.chars(HEX, 10)}`],
  'pinecone': ['pcsk_ + 6 base62 + _ + 63 base62', r => `pcsk_${r.chars(ALNUM, 6)}_${r.chars(ALNUM, 63)}`],
  'elevenlabs': ['sk_ + 48 hex', r => 'sk_' + r.chars(HEX, 48)],
  'shopify-access': ['shpat_ + 32 hex', r => 'shpat_' + r.chars(HEX, 32)],
  'shopify-shared-secret': ['shpss_ + 32 hex', r => 'shpss_' + r.chars(HEX, 32)],
  'square-access': ['EAAA + 60 [A-Za-z0-9_-]', r => 'EAAA' + r.chars(B64URL, 60)],
  'square-oauth-secret': ['sq0csp- + 43 [A-Za-z0-9_-]', r => 'sq0csp-' + r.chars(B64URL, 43)],
  'braintree': ['access_token$production$ + 16 base62 + $ + 32 hex', r => `access_token$production$${r.chars(LOWNUM, 16)}$${r.chars(HEX, 32)}`],
  'razorpay-key-id': ['rzp_live_ + 14 base62', r => 'rzp_live_' + r.chars(ALNUM, 14)],
  'razorpay-secret': ['24 base62', r => r.chars(ALNUM, 24)],
  'paystack': ['sk_live_ + 40 hex', r => 'sk_live_' + r.chars(HEX, 40)],
  'flutterwave': ['FLWSECK- + 32 hex + -X', r => `FLWSECK-${r.chars(HEX, 32)}-X`],
  'mollie': ['live_ + 30 base62', r => 'live_' + r.chars(ALNUM, 30)],
  'plaid-access': ['access-production- + UUID', r => 'access-production-' + r.uuid()],
  'shippo': ['shippo_live_ + 40 hex', r => 'shippo_live_' + r.chars(HEX, 40)],
  'easypost': ['EZAK + 54 base62', r => 'EZAK' + r.chars(ALNUM, 54)],
  'duffel': ['duffel_live_ + 43 [A-Za-z0-9_-]', r => 'duffel_live_' + r.chars(B64URL, 43)],
  'digitalocean-pat': ['dop_v1_ + 64 hex', r => 'dop_v1_' + r.chars(HEX, 64)],
  'digitalocean-oauth': ['doo_v1_ + 64 hex', r => 'doo_v1_' + r.chars(HEX, 64)],
  'linear': ['lin_api_ + 40 base62', r => 'lin_api_' + r.chars(ALNUM, 40)],
  'notion': ['ntn_ + 11 digits + 35 base62', r => `ntn_${r.digits(11)}${r.chars(ALNUM, 35)}`],
  'notion-legacy': ['secret_ + 43 base62', r => 'secret_' + r.chars(ALNUM, 43)],
  'figma': ['figd_ + 40 [A-Za-z0-9_-]', r => 'figd_' + r.chars(B64URL, 40)],
  'sentry-user': ['sntryu_ + 64 hex', r => 'sntryu_' + r.chars(HEX, 64)],
  'sentry-org': ['sntrys_ + base64 JSON claims + _ + 43 base64', r => `sntrys_${b64(JSON.stringify({ iat: 1712000000, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' }))}_${r.chars(B64, 43)}`],
  'sentry-dsn': ['https:// + 32 hex @ oDIGITS.ingest.sentry.io / DIGITS', r => `https://${r.chars(HEX, 32)}@o${r.digits(6)}.ingest.us.sentry.io/${r.digits(16)}`],
  'circleci-pat': ['CCIPAT_ + 22 base62 + _ + 40 hex', r => `CCIPAT_${r.chars(ALNUM, 22)}_${r.chars(HEX, 40)}`],
  'prefect': ['pnu_ + 36 base62', r => 'pnu_' + r.chars(ALNUM, 36)],
  'truenas': ['DIGITS- + 64 base62', r => `${r.digits(1)}-${r.chars(ALNUM, 64)}`],
  'intercom': ['dG9rOj + base64 of "tok:UUID:…" (60 chars)', r => b64(`tok:${r.uuid().replace(/-/g, '').slice(0, 8)}_${r.chars(HEX, 4)}_${r.chars(HEX, 4)}_${r.chars(HEX, 4)}_${r.chars(HEX, 12)}:1:0`)],
  'cloudflare-origin-ca': ['v1.0- + 24 hex + - + 146 hex', r => `v1.0-${r.chars(HEX, 24)}-${r.chars(HEX, 146)}`],
  'cloudflare-api-token': ['40 [A-Za-z0-9_-]', r => r.chars(B64URL, 40)],
  'cloudflare-global-key': ['37 hex', r => r.chars(HEX, 37)],
  'postman': ['PMAK- + 24 hex + - + 34 hex', r => `PMAK-${r.chars(HEX, 24)}-${r.chars(HEX, 34)}`],
  'doppler': ['dp.st. + environment + . + 40 base62', r => `dp.st.prd.${r.chars(ALNUM, 40)}`],
  'vault-service': ['hvs. + 90 [A-Za-z0-9_-]', r => 'hvs.' + r.chars(B64URL, 90)],
  'terraform-cloud': ['14 base62 + .atlasv1. + 67 base62', r => `${r.chars(ALNUM, 14)}.atlasv1.${r.chars(ALNUM, 67)}`],
  'pulumi': ['pul- + 40 hex', r => 'pul-' + r.chars(HEX, 40)],
  'grafana-service-account': ['glsa_ + 32 base62 + _ + 8 hex', r => `glsa_${r.chars(ALNUM, 32)}_${r.chars(HEX, 8)}`],
  'grafana-cloud': ['glc_ + base64 of a JSON document', r => 'glc_' + b64(JSON.stringify({ o: r.digits(6), n: 'stack-deploy', k: r.chars(ALNUM, 24), m: { r: 'prod-eu-west-2' } }))],
  'newrelic-user': ['NRAK- + 27 upper/digits', r => 'NRAK-' + r.chars(UPNUM, 27)],
  'newrelic-license': ['36 hex + NRAL', r => r.chars(HEX, 36) + 'NRAL'],
  'dynatrace': ['dt0c01. + 24 upper/digits + . + 64 upper/digits', r => `dt0c01.${r.chars(UPNUM, 24)}.${r.chars(UPNUM, 64)}`],
  'okta': ['00 + 40 [A-Za-z0-9_-]', r => '00' + r.chars(B64URL, 40)],
  'databricks': ['dapi + 32 hex', r => 'dapi' + r.chars(HEX, 32)],
  'planetscale-token': ['pscale_tkn_ + 43 [A-Za-z0-9_-]', r => 'pscale_tkn_' + r.chars(B64URL, 43)],
  'planetscale-password': ['pscale_pw_ + 43 [A-Za-z0-9_-]', r => 'pscale_pw_' + r.chars(B64URL, 43)],
  'supabase-access': ['sbp_ + 40 hex', r => 'sbp_' + r.chars(HEX, 40)],
  'supabase-service-role': ['a JWT whose role is service_role', r => jwt(r, { iss: 'supabase', ref: r.chars(LOWER, 20), role: 'service_role', iat: 1716000000, exp: 2031576000 })],
  'jwt': ['header.payload.signature, base64url JSON', r => jwt(r, { sub: r.uuid(), scope: 'api:write', iat: 1716000000, exp: 2031576000 })],
  'netlify': ['nfp_ + 36 base62', r => 'nfp_' + r.chars(ALNUM, 36)],
  'flyio': ['FlyV1 fm2_ + 240 base64', r => 'FlyV1 fm2_' + r.chars(B64, 240)],
  'airtable': ['pat + 14 base62 + . + 64 hex', r => `pat${r.chars(ALNUM, 14)}.${r.chars(HEX, 64)}`],
  'asana': ['2/ + 16 digits + / + 16 digits + : + 32 hex', r => `2/${r.digits(16)}/${r.digits(16)}:${r.chars(HEX, 32)}`],
  'typeform': ['tfp_ + 59 [A-Za-z0-9_-]', r => 'tfp_' + r.chars(B64URL, 44) + '_' + r.chars(B64URL, 14)],
  'contentful-pat': ['CFPAT- + 43 [A-Za-z0-9_-]', r => 'CFPAT-' + r.chars(B64URL, 43)],
  'hubspot': ['pat-na1- + UUID', r => 'pat-na1-' + r.uuid()],
  'salesforce': ['00D + 15 base62 + ! + 96 [A-Za-z0-9._]', r => `00D${r.chars(ALNUM, 12)}!${r.chars(ALNUM + '._', 96)}`],
  'twitter-bearer': ['AAAAAAAAAAAAAAAAAAAAA + 80+ (percent-encoded) chars', r => 'AAAAAAAAAAAAAAAAAAAAA' + r.chars(ALNUM, 30) + '%3D' + r.chars(ALNUM, 50)],
  'facebook-token': ['EAA + 160 base62', r => 'EAAB' + r.chars(ALNUM, 160)],
  'dropbox': ['sl. + 136 [A-Za-z0-9_-]', r => 'sl.' + r.chars(B64URL, 136)],
  'mapbox-secret': ['sk.eyJ1Ijoi… (base64 JSON) . 22 base64url', r => `sk.${b64url(JSON.stringify({ u: 'acme-maps', a: r.chars(LOWNUM, 25) }))}.${r.chars(B64URL, 22)}`],
  'mapbox-public': ['pk.eyJ1Ijoi… . 22 base64url (public by design)', r => `pk.${b64url(JSON.stringify({ u: 'acme-maps', a: r.chars(LOWNUM, 25) }))}.${r.chars(B64URL, 22)}`],
  'adafruit': ['aio_ + 28 base62', r => 'aio_' + r.chars(ALNUM, 28)],
  'age': ['AGE-SECRET-KEY-1 + 58 bech32 upper', r => 'AGE-SECRET-KEY-1' + r.chars('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)],
  'alibaba-key-id': ['LTAI + 20 base62', r => 'LTAI' + r.chars(ALNUM, 20)],
  'alibaba-secret': ['30 base62', r => r.chars(ALNUM, 30)],
  'tencent-secret-id': ['AKID + 32 base62', r => 'AKID' + r.chars(ALNUM, 32)],
  'yandex-api-key': ['AQVN + 36 [A-Za-z0-9_-]', r => 'AQVN' + r.chars(B64URL, 36)],
  'buildkite': ['bkua_ + 40 hex', r => 'bkua_' + r.chars(HEX, 40)],
  'sonarqube-user': ['squ_ + 40 hex', r => 'squ_' + r.chars(HEX, 40)],
  'sourcegraph': ['sgp_ + 16 hex + _ + 40 hex', r => `sgp_${r.chars(HEX, 16)}_${r.chars(HEX, 40)}`],
  'stackhawk': ['hawk. + 20 base62 + . + 20 base62', r => `hawk.${r.chars(ALNUM, 20)}.${r.chars(ALNUM, 20)}`],
  'tailscale-auth': ['tskey-auth- + 17 base62 + - + 33 base62', r => `tskey-auth-k${r.chars(ALNUM, 16)}-${r.chars(ALNUM, 33)}`],
  'infracost': ['ico- + 32 base62', r => 'ico-' + r.chars(ALNUM, 32)],
  'launchdarkly-sdk': ['sdk- + UUID', r => 'sdk-' + r.uuid()],
  'launchdarkly-api': ['api- + UUID', r => 'api-' + r.uuid()],
  'honeycomb': ['hcaik_ + 58 base62', r => 'hcaik_' + r.chars(ALNUM, 58)],
  'clickup': ['pk_ + 8 digits + _ + 32 upper/digits', r => `pk_${r.digits(8)}_${r.chars(UPNUM, 32)}`],
  'harness': ['pat. + 22 + . + 24 + . + 20 [A-Za-z0-9_-]', r => `pat.${r.chars(B64URL, 22)}.${r.chars(HEX, 24)}.${r.chars(ALNUM, 20)}`],
  'octopus': ['API- + 32 upper/digits', r => 'API-' + r.chars(UPNUM, 32)],
  'render': ['rnd_ + 32 base62', r => 'rnd_' + r.chars(ALNUM, 32)],
  'scaleway-access': ['SCW + 17 upper/digits', r => 'SCW' + r.chars(UPNUM, 17)],
  'backblaze-app-key': ['K00 + 28 [A-Za-z0-9/+]', r => 'K00' + r.chars(ALNUM + '/+', 28)],
  'cloudinary-url': ['cloudinary:// 15 digits : 27 base64url @ cloud', r => `cloudinary://${r.digits(15)}:${r.chars(B64URL, 27)}@acme-media`],
  'ably': ['APPID.KEYID: + 43 base64url', r => `${r.chars(ALNUM, 6)}.${r.chars(ALNUM, 6)}:${r.chars(B64URL, 43)}`],
  'trello-token': ['ATTA + 64 hex + 8 hex', r => 'ATTA' + r.chars(HEX, 72)],
  'yandex-oauth': ['y0_ + 55 [A-Za-z0-9_-]', r => 'y0_' + r.chars(B64URL, 55)],
  'frameio': ['fio-u- + 64 [A-Za-z0-9_-]', r => 'fio-u-' + r.chars(B64URL, 64)],
  'klaviyo-private': ['pk_ + 34 hex', r => 'pk_' + r.chars(HEX, 34)],
  'mandrill': ['md- + 22 [A-Za-z0-9_-]', r => 'md-' + r.chars(B64URL, 22)],
  'firefox-encrypted': ['base64 DER of NSS SDR: key id, 3DES-CBC IV, ciphertext', r => 'MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECL' + r.chars(B64, 10) + 'BBD' + r.chars(B64, 21)],
  'recaptcha': ['6L + 38 [A-Za-z0-9_-] (site keys are public, secret keys are not)', r => '6L' + r.chars(B64URL, 38)],
  'wireguard-key': ['44 base64 ending =', r => r.chars(B64, 42) + 'A='],
  'password-strong': ['a generated password: 20 printable characters', r => r.chars(ALNUM + '!%+-.=@^_~', 20)],
  'base64-32': ['32 random bytes in base64', r => r.chars(B64, 43) + '='],
  'django-secret': ['django-insecure- free form, 50 chars of [a-z0-9!@#$%^&*(-_=+)]', r => r.chars(LOWNUM + '!@#$%^&*(-_=+)', 50)],
  'wordpress-salt': ['64 printable characters', r => r.chars(ALNUM + '!#$%&()*+,-.:;<=>?@[]^_`{|}~ ', 64).replace(/'/g, '"')],
  'pem-rsa': ['PEM PKCS#1 RSA private key body (25 lines)', r => pemBody(r, 'MIIEowIBAAKCAQEA', 25)],
  'pem-pkcs8': ['PEM PKCS#8 private key body (26 lines)', r => pemBody(r, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ', 26)],
  'pem-ec': ['PEM SEC1 EC private key body (3 lines)', r => pemBody(r, 'MHcCAQEEI', 3)],
  'openssh-ed25519': ['OpenSSH private key body (7 lines)', r => pemBody(r, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 7)],
};

export function generate(format, index = 1) {
  const entry = formats[format];
  if (!entry) throw new Error(`unknown format ${format}; --list shows them`);
  return entry[1](new Random(`${format}#${index}`));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [format, count = '1', first = '1'] = process.argv.slice(2);
  if (!format || format === '--list') {
    for (const [name, [shape]] of Object.entries(formats)) console.log(`${name.padEnd(28)} ${shape}`);
  } else {
    for (let i = Number(first); i < Number(first) + Number(count); i++) console.log(generate(format, i));
  }
}
