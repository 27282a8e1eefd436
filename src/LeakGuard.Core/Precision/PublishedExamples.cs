namespace LeakGuard.Core.Precision;

/// <summary>
/// Credentials that vendors and standards publish as examples: they are in every SDK's docs and
/// never work. A match on one is at most low confidence, whatever the rule.
/// </summary>
public static class PublishedExamples
{
    /// <summary>Sample values printed in specifications and vendor documentation.</summary>
    private static readonly HashSet<string> Values = new(StringComparer.Ordinal)
    {
        // RFC 6749 (OAuth 2.0) sections 4.1.4, 4.3.3, 5.1 and 6; RFC 6750 section 4.
        "2YotnFZFEjr1zCsicMWpAA",
        "tGzv3JOkF0XG5Qx2TlKWIA",
        "mF_9.B5f-4.1JqM",
        "SplxlOBeZQQYbYS6WxSbIA",
        // The JWT the jwt.io debugger and countless docs open with (HS256, "John Doe").
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        // Google reCAPTCHA's test secret key (reCAPTCHA FAQ): every verification with it passes.
        "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
        // The access token of OpenID Connect Core 1.0's UserInfo request example (section 5.3.1).
        "SlAV32hkKG",
        // The JDK's documented default password of its cacerts keystore (keytool -storepass changeit).
        "changeit",
        // Docker's join-token reference page: the worker, manager and rotated worker tokens it prints.
        "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx",
        "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2",
        "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-b30ljddcqhef9b9v4rs7mel7t",
        // wpa_supplicant's sample configuration (wpa_supplicant.conf) and its manual page: the passphrase of every example network.
        "very secret passphrase",
        // PyJWT's README example: {"some": "payload"} signed with the key "secret".
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg",
    };

    /// <summary>True for a published sample: one of the known values, or a value in the form AWS
    /// documents its examples in (an access key id or secret ending in <c>EXAMPLE</c> /
    /// <c>EXAMPLEKEY</c> or a key id with <c>EXAMPLE</c> right after its prefix, a session token with
    /// <c>EXAMPLE</c> inside its base64). A domain such as
    /// <c>CORP.EXAMPLE</c> inside a value is not a marker.</summary>
    public static bool Contains(string secret)
    {
        if (Values.Contains(secret))
        {
            return true;
        }
        int at = secret.IndexOf("EXAMPLE", StringComparison.Ordinal);
        return at > 0 && (char.IsAsciiLetterOrDigit(secret[at - 1]) || secret[at - 1] is '/' or '+')
            && (at + 7 == secret.Length || secret.EndsWith("EXAMPLEKEY", StringComparison.Ordinal) || secret.Length >= 40
                // AWS's CLI examples also put it right after the prefix (AKIAEXAMPLE123456789).
                || (at == 4 && (secret.StartsWith("AKIA", StringComparison.Ordinal) || secret.StartsWith("ASIA", StringComparison.Ordinal))));
    }
}
