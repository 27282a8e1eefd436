using LeakGuard.Core.Findings;
using LeakGuard.Core.Precision;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Precision;

/// <summary>
/// A service's key followed by its value after blanks alone, as Dockerfiles, Apache, Java
/// properties and command lines write it, and a service's name and key written as words: reported
/// when the value looks generated, and only then.
/// </summary>
public sealed class SpacedValueTests : IClassFixture<BuiltInRulesSession>
{
    private readonly BuiltInRulesSession _builtIn;

    public SpacedValueTests(BuiltInRulesSession fixture) => _builtIn = fixture;

    [Theory]
    [InlineData("Dockerfile", "FROM node:20\nENV CLOCKIFY_API_KEY 1emWmlgJEvGvZmDKEEctsQ5jTie4f2s8vkRY72U1tiqQ7fGu\n", "clockify.api-key")]
    [InlineData("conf/site.conf", "<VirtualHost *:443>\n  SetEnv CLARIFAI_PAT af4fd6e17b7834cf678567c790d476b3\n</VirtualHost>\n", "clarifai.pat")]
    [InlineData("src/main/resources/app.properties", "clockify.api.key 1emWmlgJEvGvZmDKEEctsQ5jTie4f2s8vkRY72U1tiqQ7fGu\n", "clockify.api-key")]
    [InlineData("deploy/run.sh", "exec tracker-sync --clarifai-pat \"af4fd6e17b7834cf678567c790d476b3\" --once\n", "clarifai.pat")]
    // The service and the key written as words, as people write notes.
    [InlineData("notes/handover.txt", "- Clockify API key: 1emWmlgJEvGvZmDKEEctsQ5jTie4f2s8vkRY72U1tiqQ7fGu\n", "clockify.api-key")]
    [InlineData("notes/handover.txt", "clarifai pat af4fd6e17b7834cf678567c790d476b3\n", "clarifai.pat")]
    // The service named as a word before the key word, as logs and test templates write it.
    [InlineData("logs/worker.log", "[INFO] Sending request to the zerobounce API\n[DEBUG] Using zerobounce KEY=ebe8bd390f59c4c3dadbc08854f83652\n", "zerobounce.api-key")]
    [InlineData("notes/handover.txt", "newsapi KEY b6907d289e10d714a6e88b30761fae22\n", "newsapi.api-key")]
    [InlineData("scripts/seed.py", "client = Zenrows(token)  # zenrows access token: 5e577b3610bcf7cdc1965f9b0ca404db802d0127\n", "zenrows.api-key")]
    // A dash between the key and its value, as notes and lists write it.
    [InlineData("notes/handover.txt", "zerobounce token - 'ebe8bd390f59c4c3dadbc08854f83652'\n", "zerobounce.api-key")]
    public void A_generated_value_after_blanks_is_reported(string path, string text, string ruleId)
    {
        var finding = Assert.Single(_builtIn.Scan(path, text), f => f.Kind == FindingKind.Secret);
        Assert.Equal(ruleId, finding.RuleId);
        Assert.True(finding.Confidence >= Confidence.Medium);
    }

    [Theory]
    // Words after a key name in prose: no digit, so not a token.
    [InlineData("docs/setup.md", "Pass --clockify-key WhateverTheWorkspaceSettingsPageShowsYouThere to the tool.\n")]
    // A generated-looking shape that is a keyboard run.
    [InlineData("Dockerfile", "ENV CLARIFAI_PAT 0123456789abcdef0123456789abcdef\n")]
    [InlineData("notes/handover.txt", "newsapi KEY abcdefabcdefabcdefabcdefabcdefab\n")]
    [InlineData("notes/handover.txt", "newsapi key - abcdefabcdefabcdefabcdefabcdefab\n")]
    public void Words_and_placeholders_after_blanks_are_not_reported(string path, string text)
    {
        Assert.DoesNotContain(_builtIn.Scan(path, text), f => f.Kind == FindingKind.Secret && f.Confidence >= Confidence.Medium);
    }

    [Theory]
    [InlineData("ENV KEY abc", true)]
    [InlineData("--token \"abc\"", true)]
    [InlineData("token - 'abc'", true)]
    [InlineData("KEY=abc", false)]
    [InlineData("KEY = abc", false)]
    [InlineData("\"key\": \"abc\"", false)]
    [InlineData("key, abc", false)]
    [InlineData("prefix_abc", false)]
    public void Blanks_without_an_operator_make_a_spaced_value(string line, bool spaced)
    {
        byte[] content = System.Text.Encoding.ASCII.GetBytes(line);
        int secretStart = line.LastIndexOf("abc", StringComparison.Ordinal);
        Assert.Equal(spaced, SpacedValue.IsSpaced(content, 0, secretStart));
    }
}
