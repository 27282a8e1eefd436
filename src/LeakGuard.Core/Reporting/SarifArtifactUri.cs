using System.Text;

namespace LeakGuard.Core.Reporting;

/// <summary>Turns a finding's path into the URI reference SARIF's artifactLocation.uri needs.
/// Relative paths stay relative, so code scanning resolves them against the checkout; rooted
/// paths become file URIs because a bare "C:/x" would read as a URI with scheme "C". Names inside
/// archives and maps are the archive's to choose: their dot and empty segments are resolved
/// within the member, so no result can climb out of its archive onto another file of the
/// repository (<c>pkg.tgz!../../src/app.js</c> would otherwise resolve to <c>src/app.js</c>).</summary>
internal static class SarifArtifactUri
{
    public static string FromPath(string path)
    {
        string slashed = WithinMembers(path.Replace('\\', '/'));
        if (slashed.Length >= 3 && char.IsAsciiLetter(slashed[0]) && slashed[1] == ':' && slashed[2] == '/')
        {
            return "file:///" + slashed[..2] + Escape(slashed[2..], firstSegment: false);
        }
        if (slashed.StartsWith('/'))
        {
            // "//server/share" keeps its authority; "/home/x" gets an empty one.
            return (slashed.StartsWith("//", StringComparison.Ordinal) ? "file:" : "file://") + Escape(slashed, firstSegment: false);
        }
        return Escape(slashed, firstSegment: true);
    }

    /// <summary>Resolves "." , ".." and empty segments of each member name (each part after a '!')
    /// within that name, never above its start; the path outside any archive is left as it is.</summary>
    private static string WithinMembers(string path)
    {
        string[] parts = path.Split('!');
        for (int i = 1; i < parts.Length; i++)
        {
            var segments = new List<string>();
            foreach (string segment in parts[i].Split('/'))
            {
                if (segment == "..")
                {
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }
                }
                else if (segment is not ("" or "."))
                {
                    segments.Add(segment);
                }
            }
            parts[i] = string.Join('/', segments);
        }
        return string.Join('!', parts);
    }

    /// <summary>Percent-encodes, as UTF-8, every character that may not appear in a path: RFC 3986
    /// pchar is unreserved, sub-delims (which include the '!' of archive members), ':' and '@'.
    /// A ':' in the first segment of a relative reference would make it a scheme, so it is encoded.</summary>
    private static string Escape(string path, bool firstSegment)
    {
        var builder = new StringBuilder(path.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '/')
            {
                firstSegment = false;
                builder.Append(c);
            }
            else if (IsPathCharacter(c) && !(firstSegment && c == ':'))
            {
                builder.Append(c);
            }
            else
            {
                int length = char.IsSurrogatePair(path, i)
                    ? Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), utf8)
                    : Encoding.UTF8.GetBytes(path.AsSpan(i, 1), utf8);
                foreach (byte b in utf8[..length])
                {
                    builder.Append('%').Append(b.ToString("X2"));
                }
            }
        }
        return builder.ToString();
    }

    private static bool IsPathCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@".Contains(c);
}
