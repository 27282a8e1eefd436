package com.acme.billing;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
public class PaymentGateway {
    private static final String BRAINTREE_TOKEN = "access_token$production$lgrcudolpqvtmjrz$caf31f6d80b1237036e71e9814a46dc9";
    private static final String ADYEN_API_KEY = "AQELGrccwil8kKenY7Wwjxsk4hYt7orLj32M31jL9eTLGrcaQaCgbWpXwzFosHHx1CNQ6EbqQCGRNB640L9";
    private static final String SQUARE_ACCESS_TOKEN = "EAAALGrca1HQQiEuByyl0eP4JrqWCO1hrjrHwDTFOvV87Jnd_gwyaUHBDuGjCDZM";
    private static final String MOLLIE_KEY = "live_LGrcJMJhaZgU6jBidWYpQ99m3ToAxH";
    private static final String FLUTTERWAVE_SECRET = "FLWSECK-70b7598ab62942abebd3b1714e256e84-X";
    private static final String PASSWORD_FIELD = "password";
    private static final String API_KEY_PARAM = "api_key";

    @Value("${stripe.api-key}")
    private String stripeKey;

    @Value("${paypal.client-secret}")
    private String paypalSecret;

    public String legacyAuth() {
        return java.util.Base64.getEncoder().encodeToString("billing:Legacy-Basic-19".getBytes());
    }
}
