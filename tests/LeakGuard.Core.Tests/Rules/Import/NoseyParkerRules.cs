namespace LeakGuard.Core.Tests.Rules.Import;

/// <summary>
/// Nosey Parker's own rule files, for the acceptance check of issue 10. They are another scanner's
/// rules, so they are not part of this repository (like the corpus in ../shared, they are input from
/// outside): <c>LEAKGUARD_NOSEYPARKER_RULES</c> names the folder
/// (<c>crates/noseyparker/data/default/builtin/rules</c> of a Nosey Parker checkout). Without it
/// the checks are reported as skipped, with this reason, never as passed.
/// </summary>
internal static class NoseyParkerRules
{
    public static readonly string? Folder =
        Environment.GetEnvironmentVariable("LEAKGUARD_NOSEYPARKER_RULES") is { Length: > 0 } folder && Directory.Exists(folder) ? folder : null;

    public const string Missing = "set LEAKGUARD_NOSEYPARKER_RULES to Nosey Parker's built-in rules folder (not redistributed here)";
}

public sealed class NoseyParkerRulesFactAttribute : FactAttribute
{
    public NoseyParkerRulesFactAttribute() => Skip = NoseyParkerRules.Folder is null ? NoseyParkerRules.Missing : null;
}

public sealed class NoseyParkerRulesTheoryAttribute : TheoryAttribute
{
    public NoseyParkerRulesTheoryAttribute() => Skip = NoseyParkerRules.Folder is null ? NoseyParkerRules.Missing : null;
}
