namespace LeakGuard.Core.Precision;

/// <summary>
/// A value in an encrypted section of a YAML file: a SealedSecret's <c>encryptedData</c>, a
/// section named <c>encrypted…</c>. Its key still names the secret (<c>DATABASE_PASSWORD</c>);
/// its value is ciphertext that only the cluster or the key holder can open.
/// </summary>
public static class EncryptedSection
{
    /// <summary>How far back the parent key is looked for: a section of a few dozen keys.</summary>
    private const int Lookback = 8 * 1024;

    public static bool Contains(ReadOnlySpan<byte> content, int position)
    {
        // Bounded like the parent search: a line longer than the lookback is no YAML section entry.
        int from = Math.Max(0, position - Lookback);
        int newline = content[from..position].LastIndexOf((byte)'\n');
        if (newline < 0 && from > 0)
        {
            return false;
        }
        int lineStart = from + newline + 1;
        int indent = Indent(content[lineStart..]);
        if (indent == 0)
        {
            return false;
        }
        int floor = Math.Max(0, lineStart - Lookback);
        int end = lineStart - 1;
        while (end > floor)
        {
            int start = content[floor..end].LastIndexOf((byte)'\n') + 1 + floor;
            var line = content[start..end];
            var text = line.TrimStart(" \t"u8);
            if (!text.IsEmpty && text[0] != (byte)'#' && Indent(line) < indent)
            {
                int colon = text.IndexOf((byte)':');
                return colon > 0 && System.Text.Encoding.Latin1.GetString(text[..colon]).Contains("encrypted", StringComparison.OrdinalIgnoreCase);
            }
            end = start - 1;
        }
        return false;
    }

    private static int Indent(ReadOnlySpan<byte> line)
    {
        int i = 0;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
        return i;
    }
}
