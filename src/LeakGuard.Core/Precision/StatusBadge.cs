namespace LeakGuard.Core.Precision;

/// <summary>
/// A token in a status badge's image URL (<c>circleci.com/gh/acme/app.svg?style=svg&amp;circle-token=…</c>,
/// <c>codecov.io/gh/acme/app/graph/badge.svg?token=…</c>). CircleCI documents its project tokens
/// of the Status scope as "used for embedding status badges" (read access to build statuses only),
/// and Codecov its graph token likewise: they are made to be published in a README, so such a
/// match is low confidence whatever the rule.
/// </summary>
public static class StatusBadge
{
    /// <summary>How far back from the secret a badge's URL is looked for.</summary>
    private const int Reach = 512;

    /// <summary>Whether the secret at <paramref name="secretStart"/> is a URL's <c>token=</c> (or
    /// <c>…-token=</c>) query value, in a URL naming a badge image (<c>.svg?</c>, <c>.png?</c> or a
    /// <c>/badge</c> path).</summary>
    public static bool IsBadgeToken(ReadOnlySpan<byte> content, int secretStart)
    {
        int from = secretStart;
        int limit = Math.Max(0, secretStart - Reach);
        while (from > limit && !EndsUrl(content[from - 1]))
        {
            from--;
        }
        var url = content[from..secretStart];
        int query = url.IndexOf((byte)'?');
        if (query < 0 || !url.EndsWith("token="u8))
        {
            return false;
        }
        var path = url[..query];
        return path.EndsWith(".svg"u8) || path.EndsWith(".png"u8) || path.IndexOf("/badge"u8) >= 0;
    }

    private static bool EndsUrl(byte b) => b <= (byte)' ' || b is (byte)'"' or (byte)'\'' or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'`';
}
