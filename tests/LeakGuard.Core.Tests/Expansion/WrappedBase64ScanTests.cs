using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>Base64 wrapped across lines and YAML <c>!!binary</c> values are decoded as one value,
/// by the real scanner with the default decoders.</summary>
public sealed class WrappedBase64ScanTests : IClassFixture<BuiltInRulesSession>
{
    private const string Token = DecodingTestRules.Token;

    private const string Rules = "rules:\n" + DecodingTestRules.KeyAndToken + "\n" + """
          - id: test.pin
            name: Short pin
            kind: secret
            severity: high
            pattern: '\bpin=([0-9]{6,8})\b'
            keywords: ['pin=']
            examples: ['pin=604213']
            negative_examples: ['pin=12']
        """;

    private static readonly RuleSet RuleSet = new(RuleLoader.Parse(Rules, "wrapped-base64-test.yaml"));

    private static readonly IMatchEngine Engine = MatchEngineFactory.Create(EngineKind.Managed, RuleSet.Patterns, cacheDirectory: null);

    private readonly BuiltInRulesSession _builtIn;

    public WrappedBase64ScanTests(BuiltInRulesSession builtIn) => _builtIn = builtIn;

    private static IReadOnlyList<Finding> Scan(string path, string content) =>
        new Scanner(RuleSet, Engine, new ScanOptions())
            .Run([new Blob { Path = path, Content = Encoding.UTF8.GetBytes(content) }])
            .Findings;

    /// <summary>A settings file whose token falls across the first line break when its base64 is
    /// wrapped at <paramref name="width"/> symbols.</summary>
    private static string Encoded(int width)
    {
        // The token starts 8 bytes before the first line's last decoded byte.
        int lineBytes = width / 4 * 3;
        string prefix = "# exported settings\nLEAKGUARD_TOKEN=";
        string text = prefix.PadLeft(lineBytes - 8, '#') + Token + "\nregion=eu-west-1\n";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }

    private static IEnumerable<string> Wrap(string base64, int width)
    {
        for (int i = 0; i < base64.Length; i += width)
        {
            yield return base64.Substring(i, Math.Min(width, base64.Length - i));
        }
    }

    /// <summary>The symbol of a line wrapped at <paramref name="width"/> where <see cref="Encoded"/>'s token begins.</summary>
    private static int TokenSymbol(int width)
    {
        int at = (width / 4 * 3) - 8;
        return (at / 3 * 4) + (at % 3);
    }

    public static TheoryData<string, string, int, int, int> WrappedForms()
    {
        string mime = string.Join("\r\n", Wrap(Encoded(76), 76));
        string pem = string.Join("\n", Wrap(Encoded(64), 64));
        string folded = string.Join("\n    ", Wrap(Encoded(60), 60));
        string continued = string.Join("\\\n  ", Wrap(Encoded(72), 72));
        return new()
        {
            // path, content, width, line and column of the value's first symbol
            { "message.eml", $"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n{mime}\r\n", 76, 4, 1 },
            { "settings.pem", $"-----BEGIN SETTINGS-----\n{pem}\n-----END SETTINGS-----\n", 64, 2, 1 },
            { "values.yaml", $"app:\n  settings: |\n    {folded}\n  replicas: 2\n", 60, 3, 5 },
            { "deploy.sh", $"#!/bin/sh\nexport SETTINGS=\"{continued}\"\n", 72, 2, 18 },
        };
    }

    [Theory]
    [MemberData(nameof(WrappedForms))]
    public void Finds_a_secret_across_the_lines_of_wrapped_base64_where_it_begins(string path, string content, int width, int line, int column)
    {
        var finding = Assert.Single(Scan(path, content));

        // The token begins on the value's first line and ends on its second.
        Assert.Equal(("test.token", "base64", line, column + TokenSymbol(width)),
            (finding.RuleId, finding.Details["decoded"], finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void Finds_a_short_inline_binary_value()
    {
        // 16 symbols: shorter than any run decoded untagged.
        string yaml = $"device:\n  name: door\n  secret: !!binary {Convert.ToBase64String("pin=60421337"u8)}\n";

        var finding = Assert.Single(Scan("device.yaml", yaml));

        Assert.Equal(("test.pin", "base64", 3, "  secret: !!binary ".Length + 1 + 5),
            (finding.RuleId, finding.Details["decoded"], finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void Finds_a_block_binary_value_whose_lines_have_any_width()
    {
        // 62 symbols a line, as in the YAML specification's example: no whole quanta per line.
        string block = "config:\n  - name: settings\n    blob: !!binary |\n"
            + string.Concat(Wrap(Encoded(76), 62).Select(l => $"      {l}\n")) + "    mode: 0600\n";

        var finding = Assert.Single(Scan("config.yaml", block));

        // Symbol 65 of the value is the fourth of its second line.
        Assert.Equal(62 + 3, TokenSymbol(76));
        Assert.Equal(("test.token", "base64", 5, 7 + 3), (finding.RuleId, finding.Details["decoded"], finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void Finds_a_quoted_binary_value_continued_with_backslashes()
    {
        string quoted = "canonical: !!binary \"\\\n" + string.Concat(Wrap(Encoded(76), 62).Select(l => $" {l}\\\n")).TrimEnd('\n', '\\') + "\"\n";

        var finding = Assert.Single(Scan("spec.yaml", quoted));

        Assert.Equal(("test.token", 3, 2 + 3), (finding.RuleId, finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void A_pem_private_key_is_one_key_finding_not_a_decoded_one_too()
    {
        string dir = CoreTestKit.TempDirectory();
        CoreTestKit.Run(dir, "openssl", "genrsa", "-traditional", "-out", "key.pem", "1024");
        string key = File.ReadAllText(Path.Join(dir, "key.pem"));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", key, StringComparison.Ordinal);

        var finding = Assert.Single(Scan("deploy/key.pem", key));
        Assert.Equal("test.pem-private-key", finding.RuleId);
        Assert.False(finding.Details.ContainsKey("decoded"));

        var builtIn = _builtIn.Scan("deploy/key.pem", key);
        Assert.NotEmpty(builtIn);
        Assert.DoesNotContain(builtIn, f => f.Details.ContainsKey("decoded"));
    }

    [Fact]
    public void Wrapped_base64_without_secrets_yields_no_findings()
    {
        var random = new Random(7);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        var words = new[] { "the", "release", "notes", "describe", "a", "quiet", "build", "of", "green", "tests", "and", "docs" };
        string prose = string.Join(' ', Enumerable.Range(0, 600).Select(_ => words[random.Next(words.Length)]));
        string Wrapped(string base64, string indent) => string.Join("\n" + indent, Wrap(base64, 76));
        string content = $"""
            attachment: |
              {Wrapped(Convert.ToBase64String(bytes), "  ")}
            notes: !!binary |
              {Wrapped(Convert.ToBase64String(Encoding.UTF8.GetBytes(prose)), "  ")}
            """;

        Assert.Empty(_builtIn.Scan("release.yaml", content));
        Assert.Empty(Scan("release.yaml", content));
    }
}
