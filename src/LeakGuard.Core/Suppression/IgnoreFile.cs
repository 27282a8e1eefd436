namespace LeakGuard.Core.Suppression;

/// <summary>A <c>.leakguardignore</c> file: the fingerprints a person has decided not to be told
/// about again. One fingerprint per line; '#' starts a comment, on its own line or after a
/// fingerprint (where the reason for ignoring it belongs); blank lines are ignored.</summary>
public sealed class IgnoreFile
{
    public const string DefaultName = ".leakguardignore";

    private readonly HashSet<string> _fingerprints;

    private IgnoreFile(string path, HashSet<string> fingerprints)
    {
        Path = path;
        _fingerprints = fingerprints;
    }

    /// <summary>Where the file was read from, for messages.</summary>
    public string Path { get; }

    public int Count => _fingerprints.Count;

    public bool Contains(string fingerprint) => _fingerprints.Contains(fingerprint);

    /// <exception cref="SuppressionFileException">The file cannot be read or has a line that is not a fingerprint.</exception>
    public static IgnoreFile Load(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Parse(path, reader);
        }
        catch (IOException e)
        {
            throw new SuppressionFileException($"{path}: cannot read the ignore file: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SuppressionFileException($"{path}: cannot read the ignore file: {e.Message}", e);
        }
    }

    /// <param name="path">Names the file in error messages.</param>
    /// <exception cref="SuppressionFileException">A line is not a fingerprint.</exception>
    public static IgnoreFile Parse(string path, TextReader reader)
    {
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var entry = WithoutComment(line).Trim();
            if (entry.IsEmpty)
            {
                continue;
            }
            if (!FingerprintFormat.IsValid(entry))
            {
                throw new SuppressionFileException(
                    $"{path}:{lineNumber}: '{Shortened(entry)}' is not a fingerprint (expected {FingerprintFormat.Length} lowercase hex characters, as in a report's \"fingerprint\" field)");
            }
            fingerprints.Add(entry.ToString());
        }
        return new IgnoreFile(path, fingerprints);
    }

    /// <summary>A pasted secret should not be echoed whole into a CI log.</summary>
    private static string Shortened(ReadOnlySpan<char> entry) =>
        entry.Length <= 40 ? entry.ToString() : $"{entry[..40]}…";

    private static ReadOnlySpan<char> WithoutComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash < 0 ? line : line.AsSpan(0, hash);
    }
}
