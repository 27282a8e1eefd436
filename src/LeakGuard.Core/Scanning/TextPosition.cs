namespace LeakGuard.Core.Scanning;

/// <summary>Questions about raw text around a match: an allow comment on its line, binary content.</summary>
internal static class TextPosition
{
    /// <summary>How far around a match an inline allow comment is looked for on its line; a
    /// 100 MB single-line file must not cost 100 MB per finding.</summary>
    private const int AllowSearch = 4096;

    public static bool HasAllowComment(ReadOnlySpan<byte> content, int start, int end)
    {
        int from = Math.Max(0, start - AllowSearch);
        int lineStart = content[from..start].LastIndexOf((byte)'\n');
        lineStart = lineStart < 0 ? from : from + lineStart + 1;
        int to = (int)Math.Min(content.Length, (long)end + AllowSearch);
        int lineEnd = content[end..to].IndexOf((byte)'\n');
        lineEnd = lineEnd < 0 ? to : end + lineEnd;
        var line = content[lineStart..lineEnd];
        return line.IndexOf("leakguard:allow"u8) >= 0 || line.IndexOf("gitleaks:allow"u8) >= 0;
    }

    /// <summary>Binary by the same test git uses: a NUL byte among the first 8000.</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> content) => content[..Math.Min(content.Length, 8000)].Contains((byte)0);
}
