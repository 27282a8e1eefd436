using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// A finding's line and column are those of the secret itself, with the built-in rules: not of
/// the line break or delimiter a generic pattern starts with, not of the key before the value, and
/// inside decoded text the place in the file where the secret's encoding begins.
/// </summary>
public sealed class SecretLocationTests : IClassFixture<BuiltInRulesSession>
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    private readonly BuiltInRulesSession _builtIn;

    public SecretLocationTests(BuiltInRulesSession fixture) => _builtIn = fixture;

    private IReadOnlyList<Finding> Scan(string path, string text) => _builtIn.Scan(path, text);

    /// <summary>1-based line and column of the first occurrence of <paramref name="needle"/>.</summary>
    private static (int Line, int Column) PositionOf(string text, string needle)
    {
        int offset = text.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(offset >= 0, $"'{needle}' is not in the text");
        int lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        return (text[..offset].Count(c => c == '\n') + 1, offset - lineStart + 1);
    }

    private static (int Line, int Column) At(Finding finding) => (finding.Location.Line ?? 0, finding.Location.Column ?? 0);

    [Fact]
    public void A_generic_password_after_blank_lines_is_on_its_own_line_at_the_value()
    {
        const string secret = "Vq7#mZ2!kLp9Rw4x";
        string text = $"# settings\n\npassword = \"{secret}\"\n";

        var finding = Assert.Single(Scan("settings.ini", text), f => f.RuleId.StartsWith("generic.", StringComparison.Ordinal));

        Assert.Equal(PositionOf(text, secret), At(finding));
        Assert.Equal((3, 13), At(finding));
    }

    [Fact]
    public void A_key_in_an_indented_json_line_points_at_the_value_not_the_delimiter_before_the_key()
    {
        const string secret = "Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEu";
        string text = $"{{\n  \"service\": \"billing\",\n    \"api_key\": \"{secret}\"\n}}\n";

        var finding = Assert.Single(Scan("config.json", text), f => f.RuleId.StartsWith("generic.", StringComparison.Ordinal));

        Assert.Equal(PositionOf(text, secret), At(finding));
    }

    [Fact]
    public void A_token_in_base64_points_at_the_symbol_where_its_encoding_begins()
    {
        string plain = $"LEAKGUARD_TOKEN={Token}\n";
        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(plain));
        string text = $"apiVersion: v1\nkind: Secret\ndata:\n  app.env: {encoded}\n";

        var finding = Assert.Single(Scan("secret.yaml", text), f => f.RuleId == "github.pat");

        // The token starts at decoded byte 16: in base64 quantum 5 (symbol 20), second byte (symbol 21).
        int offsetInRun = plain.IndexOf(Token, StringComparison.Ordinal) / 3 * 4 + plain.IndexOf(Token, StringComparison.Ordinal) % 3;
        Assert.Equal("base64", finding.Details["decoded"]);
        Assert.Equal((4, "  app.env: ".Length + 1 + offsetInRun), At(finding));
    }

    [Fact]
    public void A_password_in_a_json_escaped_string_points_at_the_value_in_the_file()
    {
        const string secret = "Vq7#mZ2!kLp9Rw4x";
        string text = $"{{\n  \"command\": \"password = \\\"{secret}\\\"\"\n}}\n";

        var finding = Assert.Single(Scan("deploy.json", text), f => f.RuleId.StartsWith("generic.", StringComparison.Ordinal));

        Assert.Equal("json-string", finding.Details["decoded"]);
        Assert.Equal(PositionOf(text, secret), At(finding));
    }

    [Theory]
    [InlineData("aws.s3-bucket", "artifacts = https://acme-build-artifacts.s3.amazonaws.com{0}\n")]
    [InlineData("aws.s3-bucket-path", "artifacts = https://s3.us-east-2.amazonaws.com/acme-release-bucket{0}\n")]
    [InlineData("gcp.storage-bucket", "artifacts = https://acme-release-artifacts.storage.googleapis.com{0}\n")]
    [InlineData("gcp.storage-bucket-path", "artifacts = https://storage.googleapis.com/acme-backups{0}\n")]
    public void A_bucket_has_one_fingerprint_whatever_delimiter_follows_it(string ruleId, string line)
    {
        var fingerprints = new[] { ",", ";", " ", "\"", "" }
            .Select(delimiter => Assert.Single(Scan("deploy.cfg", string.Format(line, delimiter)), f => f.RuleId == ruleId))
            .Select(f => (f.Fingerprint, f.Location.Column))
            .Distinct()
            .ToList();

        var (_, column) = Assert.Single(fingerprints);
        Assert.Equal(line.IndexOf("//", StringComparison.Ordinal) + 3, column);
    }
}
