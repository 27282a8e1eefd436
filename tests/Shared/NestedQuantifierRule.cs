namespace LeakGuard.Tests.Shared;

/// <summary>
/// The user rule issue 11.8 was shown with: nested bounded quantifiers whose own examples pass but
/// whose worst case is exponential, and the 69 bytes that kept both engines busy past 60 s.
/// </summary>
public static class NestedQuantifierRule
{
    public const string Yaml = """
        rules:
          - id: custom.nested
            name: Internal host key
            kind: secret
            severity: high
            pattern: 'key=((?:[a-z]{1,30}\.?){1,30});'
            keywords: ['key=']
            examples: ['key=abc.def;']
            negative_examples: ['key=;']
        """;

    /// <summary>69 bytes that keep .NET's backtracking search busy for longer than anyone waits.</summary>
    public static readonly string Hostile = "key=" + new string('a', 57) + "!key=ab;";
}
