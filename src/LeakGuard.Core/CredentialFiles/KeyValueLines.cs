namespace LeakGuard.Core.CredentialFiles;

/// <summary>A <c>key = value</c> (or <c>key: value</c>) line of an INI, TOML, .npmrc or simple YAML
/// file, in the section (<c>[profile ci]</c>) it belongs to; the value's position is that of its
/// text inside any quotes.</summary>
internal readonly record struct KeyValue(string Section, string Key, int ValueStart, int ValueLength);

/// <summary>Reads such lines. Comment lines (<c>#</c>, <c>;</c>) and lines without a separator are
/// skipped. A quoted value ends at its closing quote; an unquoted one at the end of the line, or,
/// for YAML, at a <c> #</c> comment.</summary>
internal static class KeyValueLines
{
    public static IEnumerable<KeyValue> Read(CredentialFileText file, string separators = "=", bool yamlComments = false)
    {
        string text = file.Latin1;
        string section = "";
        foreach (var (start, length) in file.Lines())
        {
            int i = start, end = start + length;
            while (i < end && text[i] is ' ' or '\t')
            {
                i++;
            }
            if (i == end || text[i] is '#' or ';')
            {
                continue;
            }
            if (text[i] == '[')
            {
                int close = text.IndexOf(']', i, end - i);
                section = close < 0 ? section : text[(i + 1)..close].Trim();
                continue;
            }
            int separator = text.IndexOfAny(separators.ToCharArray(), i, end - i);
            if (separator <= i)
            {
                continue;
            }
            string key = text[i..separator].Trim().Trim('"', '\'').TrimStart('-', ' ');
            int valueStart = separator + 1;
            while (valueStart < end && text[valueStart] is ' ' or '\t')
            {
                valueStart++;
            }
            int valueEnd = end;
            if (valueStart < end && text[valueStart] is '"' or '\'')
            {
                int close = text.IndexOf(text[valueStart], valueStart + 1, end - valueStart - 1);
                if (close < 0)
                {
                    continue;
                }
                valueStart++;
                valueEnd = close;
            }
            else
            {
                if (yamlComments)
                {
                    int comment = text.IndexOf(" #", valueStart, end - valueStart, StringComparison.Ordinal);
                    valueEnd = comment < 0 ? end : comment;
                }
                while (valueEnd > valueStart && text[valueEnd - 1] is ' ' or '\t')
                {
                    valueEnd--;
                }
            }
            if (valueEnd > valueStart)
            {
                yield return new KeyValue(section, key, valueStart, valueEnd - valueStart);
            }
        }
    }
}
