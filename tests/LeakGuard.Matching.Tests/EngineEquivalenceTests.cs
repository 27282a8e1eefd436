using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Matching;

namespace LeakGuard.Matching.Tests;

/// <summary>
/// The two engines must agree exactly, and both must agree with the definition: the
/// leftmost-first matches of the regex over the whole text whose start lies within a pattern's
/// width of a keyword occurrence. The corpus is real source text from this machine with secrets
/// and near-misses planted in it.
/// </summary>
public class EngineEquivalenceTests
{
    private static readonly PatternDefinition[] Patterns =
    [
        new("github", @"\b(gh[pousr]_[A-Za-z0-9]{36})\b", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
        new("aws-id", @"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b", ["akia", "asia"]),
        new("password", @"(?i)(?:password|passwd|pwd)\s{0,3}[=:]\s{0,3}[""']([^""'\s]{6,80})[""']", ["password", "passwd", "pwd"]),
        new("url-cred", @"[a-z][a-z0-9+.\-]{1,20}://[^\s:/@]{1,64}:([^\s:/@]{3,64})@[a-z0-9.\-]{3,100}", ["://"]),
        new("pem", @"-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----[\r\n]{1,2}([A-Za-z0-9+/=\r\n]{40,4000})-----END", ["-----begin"]),
        new("define", @"#define\s{1,8}([A-Z_]{3,40})\s{1,8}[0-9]{1,10}\b", ["#define"]),
        new("include", @"^#include\s{0,4}<([a-z/]{1,40})\.h>", ["#include"]),
        new("return", @"\breturn\s{1,4}(-?[0-9]{1,3});", ["return"]),
    ];

    [Fact]
    public void Hyperscan_and_managed_report_identical_matches_on_real_source()
    {
        byte[] corpus = Corpus();
        using var managed = Engines.Managed(Patterns);
        using var hyperscan = Engines.Hyperscan(Patterns);
        var m = Engines.Scan(managed, corpus);
        var h = Engines.Scan(hyperscan, corpus);
        Assert.True(m.Count > 300, $"the corpus should exercise the patterns ({m.Count} matches)");
        Assert.Equal(m, h);
    }

    [Fact]
    public void Engine_matches_equal_the_whole_text_definition()
    {
        byte[] corpus = Corpus();
        string text = Encoding.Latin1.GetString(corpus);
        using var managed = Engines.Managed(Patterns);
        var actual = Engines.Scan(managed, corpus);
        var compiled = CompiledPattern.CompileAll(Patterns);
        for (int p = 0; p < Patterns.Length; p++)
        {
            var expected = Reference(text, compiled[p]);
            var got = actual.Where(x => x.PatternIndex == p).Select(x => (x.Start, x.Length)).ToList();
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void Every_planted_secret_is_found_by_both_engines()
    {
        byte[] corpus = Corpus();
        string text = Encoding.Latin1.GetString(corpus);
        foreach (var engine in new[] { Engines.Managed(Patterns), Engines.Hyperscan(Patterns) })
        {
            using (engine)
            {
                var secrets = Engines.Scan(engine, corpus).Select(x => text.Substring(x.SecretStart, x.SecretLength)).ToHashSet();
                foreach (string planted in PlantedSecrets)
                {
                    Assert.Contains(planted, secrets);
                }
            }
        }
    }

    /// <summary>An independent reading of the definition: naive keyword search, naive windows,
    /// Regex.Match on the whole text.</summary>
    private static List<(int Start, int Length)> Reference(string text, CompiledPattern pattern)
    {
        var starts = new bool[text.Length + 1];
        foreach (string keyword in pattern.Definition.Keywords)
        {
            for (int at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(keyword, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                for (int s = Math.Max(0, at + keyword.Length - pattern.MaxWidth); s <= at; s++)
                {
                    starts[s] = true;
                }
            }
        }
        var regex = new Regex(pattern.Definition.Pattern, RegexOptions.ECMAScript | RegexOptions.Multiline);
        var result = new List<(int, int)>();
        int next = 0;
        while (next < text.Length)
        {
            int s = Array.IndexOf(starts, true, next);
            if (s < 0)
            {
                break;
            }
            var m = regex.Match(text, s);
            // The leftmost match from s may start in a later allowed region, or in a gap between them.
            while (m.Success && (!starts[m.Index] || m.Length == 0))
            {
                int after = Array.IndexOf(starts, true, m.Index + 1);
                if (after < 0)
                {
                    m = Match.Empty;
                    break;
                }
                m = regex.Match(text, after);
            }
            if (!m.Success)
            {
                break;
            }
            result.Add((m.Index, m.Length));
            next = m.Index + m.Length;
        }
        return result;
    }

    private static readonly string[] PlantedSecrets =
    [
        "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK",
        "AKIAQ7RZ2XK5M4P3L6WN",
        "Xk9#mQ2!vL7p",
        "s3cr3t-Passw0rd",
    ];

    private static byte[]? _corpus;

    /// <summary>About 4 MB of C headers and Python sources from this machine, with secrets and
    /// near-misses (wrong length, glued to a word, wrong case) planted every few kilobytes.</summary>
    private static byte[] Corpus()
    {
        if (_corpus is not null)
        {
            return _corpus;
        }
        var text = new StringBuilder();
        foreach (string file in Directory.EnumerateFiles("/usr/include", "*.h", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(600))
        {
            text.Append(File.ReadAllText(file, Encoding.Latin1));
            if (text.Length > 4_000_000)
            {
                break;
            }
        }
        var plants = new[]
        {
            "token = \"ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK\"",
            "xghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iKz",
            "id AKIAQ7RZ2XK5M4P3L6WN end",
            "AKIAQ7RZ2XK5M4P3L6W short",
            "PASSWORD: 'Xk9#mQ2!vL7p'",
            "pwd=\"ab\"",
            "postgres://admin:s3cr3t-Passw0rd@db.internal.example:5432/app",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7s8Jf0z2QkX9m1Yx3c4b5n6m7q8w9e0r1t2y3u4i5o6p7a8s9d0f\n-----END RSA PRIVATE KEY-----",
        };
        int every = text.Length / 200;
        for (int i = 199; i >= 0; i--)
        {
            text.Insert(i * every, "\n" + plants[i % plants.Length] + "\n");
        }
        _corpus = Encoding.Latin1.GetBytes(text.ToString());
        return _corpus;
    }
}
