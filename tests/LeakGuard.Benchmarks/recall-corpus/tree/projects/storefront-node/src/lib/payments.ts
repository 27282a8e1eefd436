import Stripe from 'stripe';
import Razorpay from 'razorpay';

export const stripe = new Stripe('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', { apiVersion: '2024-06-20' });
export const stripeFromEnv = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-06-20' });

export const razorpay = new Razorpay({
  key_id: 'rzp_live_1tegqMNfear4vv',
  key_secret: 'LGrcMbTm2zLvtonBGU90eARo',
});

const PAYPAL_CLIENT_SECRET = 'ELGrcvuQrfHZBVwESVYDhLaCKLVMJTHkhG372Nx0BLGrceqV0GXpEcf1jQvRDvFXwnYBtVb5QcWuVkCB6';
const OPENAI_KEY = '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';
const publishableKey = 'pk_live_51LGrchRypBe651RSeViwxyMu3rOxQjQpKNwq1jotHnWV4300lylQPlKSfSYYNaNOeVcNotHPsZbEbj5VS4obos8QxB7FSmqLyK';
const tokenCacheKey = 'payments:token';
const apiKeyHeaderName = 'x-api-key';

export async function callPartner(apiKey: string) {
  return fetch('https://partner.example.net/v1/orders', { headers: { Authorization: `Bearer ${apiKey}` } });
}
