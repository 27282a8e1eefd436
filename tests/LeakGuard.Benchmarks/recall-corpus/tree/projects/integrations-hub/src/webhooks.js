'use strict';
const crypto = require('crypto');

const SIGNING_SECRETS = {
  github: '2380953e73da361fb9aee36b5fd897fd18392f9c',
  shopify: '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',
  stripe: 'whsec_LGrcHu7yAFNm3BlSkxnc2ceuEOYhqKUj',
  slack: process.env.SLACK_SIGNING_SECRET,
};

const DISCORD_BOT_TOKEN = 'MjI5MTUyMDEyNjU1Mzc5ODA5.rMYGay.LGrcn2a_3NzXWB1Zf1rgbjlPoDZhGT5QG_Q-9_';
const MS_TEAMS_HOOK = 'https://contoso.webhook.office.com/webhookb2/c5ce4f4c-df72-4156-a22f-dee25add1afc@a7ce58db-ad38-4a60-ad68-0c71cba9b949/IncomingWebhook/6428fbeef5cc062909dec90e2ea0253b/50818e4c-313c-4d69-a591-89bdb1be41fd';
const sha = crypto.createHash('sha256').update('payload').digest('hex');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8';
const REQUEST_ID = '4f3c2b1a-0e9d-4c8b-a7f6-5e4d3c2b1a09';

function verify(provider, body, signature) {
  const secret = SIGNING_SECRETS[provider];
  const mac = crypto.createHmac('sha256', secret).update(body).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(signature));
}

module.exports = { verify, DISCORD_BOT_TOKEN, MS_TEAMS_HOOK };
