using System.Text;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>Secrets hidden in encoded text, found by the real scanner with the default decoders.</summary>
public sealed class DecodedSecretsScanTests
{
    private const string Token = DecodingTestRules.Token;

    private const string Rules = "rules:\n" + DecodingTestRules.KeyAndToken + "\n" + """
          - id: test.url-credentials
            name: Password in a URL
            kind: secret
            severity: high
            pattern: '[a-z]{3,10}://[A-Za-z0-9._\-]{1,64}:([^\s/:]{3,64})@[A-Za-z0-9.\-]{1,253}'
            keywords: ['://']
            examples: ['https://admin:S3cr3t@db.example.com']
            negative_examples: ['https://db.example.com']
        """;

    private static readonly RuleSet RuleSet = new(RuleLoader.Parse(Rules, "decoded-secrets-test.yaml"));

    private static readonly IMatchEngine Engine = MatchEngineFactory.Create(EngineKind.Managed, RuleSet.Patterns, cacheDirectory: null);

    private static IReadOnlyList<Finding> Scan(string path, string content) =>
        new Scanner(RuleSet, Engine, new ScanOptions())
            .Run([new Blob { Path = path, Content = Encoding.UTF8.GetBytes(content) }])
            .Findings;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string PemKey()
    {
        var random = new Random(42);
        var body = new StringBuilder();
        for (int line = 0; line < 6; line++)
        {
            var bytes = new byte[48];
            random.NextBytes(bytes);
            body.Append(Convert.ToBase64String(bytes)).Append('\n');
        }
        return $"-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n";
    }

    private static string JsonEscaped(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);

    [Fact]
    public void Finds_a_pem_key_inside_a_json_string_on_the_line_of_its_json_value()
    {
        string json = $$"""
            {
              "type": "service_account",
              "private_key": "{{JsonEscaped(PemKey())}}",
              "client_email": "deploy@example.iam.gserviceaccount.com"
            }
            """;

        var finding = Assert.Single(Scan("service-account.json", json));

        Assert.Equal(
            ("test.pem-private-key", "json-string", 3, "  \"private_key\": \"".Length + 1),
            (finding.RuleId, finding.Details["decoded"], finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void Finds_a_token_inside_base64_at_the_symbol_where_the_token_begins()
    {
        string manifest = $"""
            apiVersion: v1
            kind: Secret
            data:
              app.env: {Base64($"LEAKGUARD_TOKEN={Token}\n")}
            """;

        var finding = Assert.Single(Scan("secret.yaml", manifest));

        // "LEAKGUARD_TOKEN=" is 16 bytes: the token's first byte is the second of quantum 5.
        Assert.Equal(
            ("test.token", "base64", 4, "  app.env: ".Length + 1 + (5 * 4) + 1),
            (finding.RuleId, finding.Details["decoded"], finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void Finds_percent_encoded_credentials()
    {
        const string env = "# database\nDATABASE_URL=https%3A%2F%2Fadmin%3AS3cr3tP%40ss%40db.example.com\n";

        var finding = Assert.Single(Scan(".env", env));

        Assert.Equal(
            ("test.url-credentials", "percent", 2, "DATABASE_URL=https%3A%2F%2Fadmin%3A".Length + 1),
            (finding.RuleId, finding.Details["decoded"], finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void Finds_a_token_in_base64_whose_slashes_are_json_escaped_through_both_decoders()
    {
        string encoded = Base64($"# ???\nLEAKGUARD_TOKEN={Token}\n");
        Assert.Contains("/", encoded, StringComparison.Ordinal);
        string json = $$"""
            {
              "blob": "{{encoded.Replace("/", "\\/", StringComparison.Ordinal)}}"
            }
            """;

        var finding = Assert.Single(Scan("payload.json", json));

        Assert.Equal(("test.token", "json-string>base64", 2), (finding.RuleId, finding.Details["decoded"], finding.Location.Line));
    }

    [Theory]
    [InlineData("settings.json", "{\"banner\": \"Welcome\\nback\", \"token\": \"" + Token + "\"}")]
    [InlineData("links.txt", "token=" + Token + "\nhelp=https://example.com/a%20b%20c\n")]
    [InlineData("both.json", "{\"help\": \"a%20b%20c\\n\", \"token\": \"" + Token + "\"}")]
    public void Reports_a_plain_text_token_once_although_a_decoded_copy_contains_it(string path, string content)
    {
        var finding = Assert.Single(Scan(path, content));

        Assert.Equal(("test.token", false), (finding.RuleId, finding.Details.ContainsKey("decoded")));
    }
}
