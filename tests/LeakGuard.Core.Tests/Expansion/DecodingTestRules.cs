namespace LeakGuard.Core.Tests.Expansion;

/// <summary>The rules the decoder scan tests share: a PEM key and a test token, the token itself.</summary>
internal static class DecodingTestRules
{
    public const string Token = "lgt_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEu";

    /// <summary>YAML rule entries (under <c>rules:</c>) for the PEM key and the token.</summary>
    public const string KeyAndToken = """
          - id: test.pem-private-key
            name: RSA private key
            kind: secret
            severity: critical
            pattern: '-----BEGIN RSA PRIVATE KEY-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n){1,40}-----END RSA PRIVATE KEY-----'
            keywords: [BEGIN RSA PRIVATE KEY]
            examples: ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"]
            negative_examples: ["-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----"]
          - id: test.token
            name: LeakGuard test token
            kind: secret
            severity: high
            pattern: '\b(lgt_[A-Za-z0-9]{32})\b'
            keywords: [lgt_]
            examples: ['token = "lgt_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEu"']
            negative_examples: ['token = "lgt_${TOKEN}"']
        """;
}
