namespace LeakGuard.Core.CredentialFiles;

/// <summary>
/// Reads one named credential file format (<c>.pgpass</c>, <c>.netrc</c>, Docker's
/// <c>config.json</c>…) for the credentials it holds. A parser is chosen by its rule's
/// <c>path</c>; it reads only the file's own structure, never throws on garbage, and costs at
/// most one pass over the file (<see cref="CredentialFileText"/> bounds lines and size).
/// </summary>
public interface ICredentialFileParser
{
    /// <summary>The name a rule's <c>parser:</c> gives.</summary>
    string Name { get; }

    /// <summary>Adds each credential in <paramref name="file"/> to <paramref name="found"/>.</summary>
    /// <returns>One warning when the file is not what its name says (invalid JSON…), else null.</returns>
    string? Parse(CredentialFileText file, List<ParsedCredential> found);
}

/// <summary>A credential in a file: where its text starts and how long that text is, in bytes,
/// and the secret itself (unescaped, or decoded when <paramref name="Encoding"/> names how);
/// <paramref name="Commented"/> when the file comments it out (a template's example).</summary>
public readonly record struct ParsedCredential(int Start, int Length, string Secret, string? Encoding = null, bool Commented = false);
