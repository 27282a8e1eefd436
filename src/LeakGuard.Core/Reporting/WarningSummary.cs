using System.Text;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>
/// Warnings as a person reads them on stderr: those of one kind (the same message once paths,
/// quoted names and numbers are set aside) are shown as a few examples and a count, so 800
/// "sourceMappingURL names … which is not in the artefact" lines become four. Reports keep every
/// warning.
/// </summary>
public static class WarningSummary
{
    public const int ExamplesPerKind = 3;

    public static IEnumerable<string> Lines(IReadOnlyList<ScanWarning> warnings, bool all = false)
    {
        if (all)
        {
            return warnings.Select(Line);
        }
        var lines = new List<string>();
        foreach (var kind in warnings.GroupBy(Shape))
        {
            var list = kind.ToList();
            int shown = list.Count <= ExamplesPerKind + 1 ? list.Count : ExamplesPerKind;
            lines.AddRange(list.Take(shown).Select(Line));
            if (list.Count > shown)
            {
                lines.Add($"warning: … and {list.Count - shown:N0} more like the last (--verbose lists every warning)");
            }
        }
        return lines;
    }

    public static string Line(ScanWarning warning) => $"warning: {warning.Path}: {warning.Message}";

    /// <summary>The message without what varies between warnings of one kind.</summary>
    internal static string Shape(ScanWarning warning)
    {
        var shape = new StringBuilder();
        foreach (string word in warning.Message.Replace(warning.Path, "<path>", StringComparison.Ordinal).Split(' '))
        {
            if (word.Contains('/', StringComparison.Ordinal) || word.Contains('!', StringComparison.Ordinal) || word.Contains('\\', StringComparison.Ordinal)
                || word.StartsWith('\'') || word.StartsWith('"') || word.Any(char.IsAsciiDigit))
            {
                shape.Append("<> ");
            }
            else
            {
                shape.Append(word).Append(' ');
            }
        }
        return shape.ToString();
    }
}
