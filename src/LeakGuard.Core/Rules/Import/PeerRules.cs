namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// Recognises a peer's rule file by its content and extension and translates its rules:
/// <c>.toml</c> is a gitleaks configuration; YAML whose rules all have a <c>pattern</c> and none of
/// LeakGuard's own keys is a Nosey Parker / Kingfisher file. A rule that cannot be translated is
/// left out with one warning naming it; the others load.
/// </summary>
public static class PeerRules
{
    /// <summary>The file's rules, or null when it is not a peer's file (read it as LeakGuard's own).</summary>
    /// <param name="warn">Told, once per rule left out, which rule and why.</param>
    public static IReadOnlyList<Rule>? TryImport(string path, string text, Action<string> warn)
    {
        IReadOnlyList<ImportedRule> file;
        if (path.EndsWith(".toml", StringComparison.OrdinalIgnoreCase))
        {
            file = GitleaksImporter.Read(text, path, warn);
        }
        else if (NoseyParkerImporter.Recognizes(text))
        {
            file = NoseyParkerImporter.Read(text, path, warn);
        }
        else
        {
            return null;
        }
        var rules = new List<Rule>(file.Count);
        foreach (var imported in file)
        {
            try
            {
                rules.Add(imported.ToRule(path));
            }
            catch (UntranslatablePatternException e)
            {
                warn($"{path}: rule '{imported.Id}' left out: {e.Message}");
            }
        }
        return rules;
    }
}
