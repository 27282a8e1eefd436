using LeakGuard.Core.Findings;
using LeakGuard.Core.Precision;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>What a value a parser found is worth. In a credential file every literal is meant as
/// a credential, weak or not; only variables (<c>${NPM_TOKEN}</c>, <c>%FEED_PASSWORD%</c>) and
/// encrypted values are not, and placeholders (<c>&lt;paste your token&gt;</c>) and values the
/// file comments out (a shipped template's examples) are low.</summary>
internal static class CredentialValue
{
    public static Confidence? Judge(Rule rule, FileKind kind, ParsedCredential credential)
    {
        string value = credential.Secret.Trim();
        if (value.Length == 0 || LiteralValues.IsVariable(value) || LiteralValues.IsEncrypted(value))
        {
            return null;
        }
        if (credential.Commented || LiteralValues.IsPlaceholder(value, chosenPassword: true, inConfiguration: true) || PublishedExamples.Contains(value))
        {
            return Confidence.Low;
        }
        // A credential file among tests or docs is most likely a fixture or an example.
        return kind is FileKind.TestFixture or FileKind.Documentation
            ? (rule.Confidence == Confidence.High ? Confidence.Medium : Confidence.Low)
            : rule.Confidence;
    }
}
