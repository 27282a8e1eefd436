using System.Text.Json;
using System.Xml;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Exposure;

/// <summary>Whether a package's licence lets its source be read: OSI-approved, not open source
/// (no licence, UNLICENSED, a proprietary or source-available licence, the protected list), or
/// unknown (a licence file or URL LeakGuard does not recognise).</summary>
public enum LicenseStatus
{
    OpenSource,
    NotOpenSource,
    Unknown,
}

/// <summary>
/// What a package says about itself that decides how bad exposed source is: its name, version and
/// licence, read from npm's package.json or NuGet's .nuspec. <see cref="TryRead"/> settles the
/// licence as if the manifest stood alone; <see cref="ManifestIndex"/> settles it again with what
/// surrounds it (the manifest above it, the licence file it names) through <see cref="Settle"/>.
/// <see cref="Verdict"/> is the reason a reader sees in a finding ("not open source: UNLICENSED").
/// </summary>
public sealed record PackageManifest
{
    /// <summary>Manifests larger than this are not package manifests worth trusting.</summary>
    public const int MaxBytes = 1024 * 1024;

    private const string SeeLicenseIn = "SEE LICENSE IN";

    /// <summary>Archive-qualified path of the manifest file.</summary>
    public required string Path { get; init; }
    public string? Name { get; init; }
    public string? Version { get; init; }

    /// <summary>The licence as the manifest declares it (an SPDX expression, "UNLICENSED", "SEE
    /// LICENSE IN file"), or as recognised from the licence file or URL it names.</summary>
    public string? License { get; init; }

    /// <summary>A file of the package holding the licence text: a .nuspec's &lt;license
    /// type="file"&gt;, npm's "SEE LICENSE IN file". Relative to the manifest's folder.</summary>
    public string? LicenseFile { get; init; }

    /// <summary>A .nuspec's &lt;licenseUrl&gt;, when it has no &lt;license&gt;.</summary>
    public string? LicenseUrl { get; init; }

    public bool Private { get; init; }

    /// <summary>Named with --protect, or inside a package that is.</summary>
    public bool Protected { get; init; }

    public required LicenseStatus Status { get; init; }
    public bool OpenSource => Status == LicenseStatus.OpenSource;

    /// <summary>Why <see cref="Status"/> is what it is, without where it came from.</summary>
    public required string Reason { get; init; }

    /// <summary>The manifest whose licence this one inherits (it declares none of its own).</summary>
    public string? InheritedFrom { get; init; }

    public string Verdict => InheritedFrom is null ? Reason : $"{Reason} (the licence of {InheritedFrom})";

    public bool IsNuspec => Path.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names a package (name and version), as a package's own manifest does and the
    /// {"type": "module"} stubs in dist/esm/ or cjs/ do not.</summary>
    public bool NamesPackage => Name is { Length: > 0 } && Version is { Length: > 0 };

    public bool DeclaresLicense => License is { Length: > 0 } || LicenseFile is { Length: > 0 } || LicenseUrl is { Length: > 0 };

    /// <summary>Whether the manifest says anything about a package: a stub with neither a name and
    /// version nor a licence (nor "private", nor a name on the protected list) is skipped over.</summary>
    public bool Speaks => NamesPackage || DeclaresLicense || Private || Protected || IsNuspec;

    public static bool IsManifestName(string memberPath) =>
        memberPath.EndsWith("package.json", StringComparison.Ordinal) && (memberPath.Length == 12 || memberPath[^13] == '/') ||
        memberPath.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a manifest, or returns null when the bytes are not one (a fixture named
    /// package.json that is not JSON must not decide a package's severity).</summary>
    public static PackageManifest? TryRead(string path, ReadOnlySpan<byte> content, IReadOnlyCollection<string> protectedNames)
    {
        if (content.Length > MaxBytes)
        {
            return null;
        }
        try
        {
            var manifest = path.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) ? ReadNuspec(path, content) : ReadPackageJson(path, content);
            if (manifest?.Name is { } name && protectedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                manifest = manifest with { Protected = true };
            }
            return manifest is null ? null : Settle(manifest, parent: null, _ => null);
        }
        catch (Exception e) when (e is JsonException or XmlException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Settles <paramref name="manifest"/>'s licence. <paramref name="parent"/> is the settled
    /// manifest of the package it sits in (npm's package/package.json for a sub-path manifest), or
    /// null when it is a package of its own; <paramref name="licenseFile"/> recognises a file of
    /// the package by its path relative to the manifest.
    /// </summary>
    /// <remarks>A nested manifest that declares no licence has its package's; its "private": true
    /// says nothing about the licence (sub-path manifests such as compat/package.json carry it).
    /// Only a package's own manifest can be closed by "private" or by declaring nothing.</remarks>
    public static PackageManifest Settle(PackageManifest manifest, PackageManifest? parent, Func<string, LicenseText?> licenseFile)
    {
        var m = manifest with { InheritedFrom = null };
        if (m.Protected)
        {
            return m with { Status = LicenseStatus.NotOpenSource, Reason = $"not open source: {m.Name} is on the protected list" };
        }
        if (parent is { Protected: true })
        {
            return m with { Protected = true, Status = parent.Status, Reason = parent.Reason, License = parent.License, InheritedFrom = parent.InheritedFrom ?? parent.Path };
        }
        if (parent is null && m.Private)
        {
            return m with { Status = LicenseStatus.NotOpenSource, Reason = "not open source: \"private\": true" };
        }
        if (m.DeclaresLicense)
        {
            return Declared(m, licenseFile);
        }
        if (parent is not null)
        {
            return m with { Status = parent.Status, Reason = parent.Reason, License = parent.License, InheritedFrom = parent.InheritedFrom ?? parent.Path };
        }
        return m with { Status = LicenseStatus.NotOpenSource, Reason = "not open source: no licence declared" };
    }

    /// <summary>The verdict of a licence the manifest declares itself.</summary>
    private static PackageManifest Declared(PackageManifest m, Func<string, LicenseText?> licenseFile)
    {
        if (m.LicenseFile is { Length: > 0 } file)
        {
            // npm documents "SEE LICENSE IN" for custom licences, so a file it cannot read as a
            // known licence keeps npm's meaning; a .nuspec licence file is as often MIT as not,
            // so there an unrecognised text is unknown, not closed.
            bool npm = !m.IsNuspec;
            var text = licenseFile(file);
            return text switch
            {
                { Status: LicenseStatus.OpenSource } => m with { Status = LicenseStatus.OpenSource, License = text.Label, Reason = $"open source: {text.Label} (the licence text in {file})" },
                { Status: LicenseStatus.NotOpenSource } => m with { Status = LicenseStatus.NotOpenSource, Reason = $"not open source: {file} is {text.Label}" },
                _ when npm => m with { Status = LicenseStatus.NotOpenSource, Reason = $"not open source: {m.License}" },
                null => m with { Status = LicenseStatus.Unknown, Reason = $"unknown: the licence file {file} is not in the package (an unknown licence is at most medium)" },
                _ => m with { Status = LicenseStatus.Unknown, Reason = $"unknown: the licence file {file} is not a licence text LeakGuard recognises (an unknown licence is at most medium)" },
            };
        }
        if (m.License is not { Length: > 0 } license)
        {
            // A .nuspec with only <licenseUrl>.
            return LicenseTexts.FromUrl(m.LicenseUrl!) is { } known
                ? m with { Status = LicenseStatus.OpenSource, License = known.Label, Reason = $"open source: {known.Label} (licenseUrl {RedactedUrl.Of(m.LicenseUrl!)})" }
                : m with { Status = LicenseStatus.Unknown, Reason = $"unknown: licenseUrl {RedactedUrl.Of(m.LicenseUrl!)} is not a licence LeakGuard recognises (an unknown licence is at most medium)" };
        }
        if (license.StartsWith(SeeLicenseIn, StringComparison.OrdinalIgnoreCase))
        {
            // "SEE LICENSE IN https://…": a URL in place of a file.
            return LicenseTexts.FromUrl(license[SeeLicenseIn.Length..]) is { } known
                ? m with { Status = LicenseStatus.OpenSource, License = known.Label, Reason = $"open source: {known.Label} ({license})" }
                : m with { Status = LicenseStatus.NotOpenSource, Reason = $"not open source: {license}" };
        }
        if (license.Equals("UNLICENSED", StringComparison.OrdinalIgnoreCase))
        {
            return m with { Status = LicenseStatus.NotOpenSource, Reason = "not open source: UNLICENSED" };
        }
        return OpenSourceLicenses.IsOpenSource(license)
            ? m with { Status = LicenseStatus.OpenSource, Reason = $"open source: {license}" }
            : m with { Status = LicenseStatus.NotOpenSource, Reason = $"not open source: {license} is not an OSI-approved licence" };
    }

    private static PackageManifest? ReadPackageJson(string path, ReadOnlySpan<byte> content)
    {
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? name = null, version = null, license = null;
        bool isPrivate = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "name" when reader.TokenType == JsonTokenType.String:
                    name = reader.GetString();
                    break;
                case "version" when reader.TokenType == JsonTokenType.String:
                    version = reader.GetString();
                    break;
                case "private":
                    isPrivate = reader.TokenType == JsonTokenType.True;
                    break;
                case "license" when reader.TokenType == JsonTokenType.String:
                    license = reader.GetString();
                    break;
                case "license" or "licenses":
                    // Deprecated forms: {"type": "MIT"} and [{"type": "MIT"}, …] (any one may be chosen).
                    license = ReadLegacyLicenses(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new PackageManifest
        {
            Path = path, Name = name, Version = version, License = license, LicenseFile = SeeLicenseFile(license), Private = isPrivate,
            Status = LicenseStatus.Unknown, Reason = "",
        };
    }

    /// <summary>The file of "SEE LICENSE IN LICENSE.md" (not a URL).</summary>
    private static string? SeeLicenseFile(string? license)
    {
        if (license is null || !license.StartsWith(SeeLicenseIn, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string file = license[SeeLicenseIn.Length..].Trim().Trim('<', '>', '"', '\'');
        return file.Length == 0 || file.Contains("://", StringComparison.Ordinal) ? null : file;
    }

    private static string? ReadLegacyLicenses(ref Utf8JsonReader reader)
    {
        var types = new List<string>();
        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("type"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                types.Add(reader.GetString()!);
            }
        }
        return types.Count == 0 ? null : string.Join(" OR ", types);
    }

    private static PackageManifest? ReadNuspec(string path, ReadOnlySpan<byte> content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes };
        using var xml = XmlReader.Create(new MemoryStream(content.ToArray(), writable: false), settings);
        string? name = null, version = null, license = null, licenseFile = null, licenseUrl = null;
        bool sawPackage = false;
        // ReadElementContentAsString moves on to the next node itself, so only other nodes call Read.
        xml.Read();
        while (!xml.EOF)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                xml.Read();
                continue;
            }
            switch (xml.LocalName)
            {
                case "id" when name is null:
                    name = xml.ReadElementContentAsString().Trim();
                    break;
                case "version" when version is null:
                    version = xml.ReadElementContentAsString().Trim();
                    break;
                case "license" when xml.GetAttribute("type") == "file":
                    // A licence text in the package: read when the package is settled.
                    licenseFile = xml.ReadElementContentAsString().Trim();
                    license = $"{SeeLicenseIn} {licenseFile}";
                    break;
                case "license":
                    license = xml.ReadElementContentAsString().Trim();
                    break;
                case "licenseUrl":
                    licenseUrl = xml.ReadElementContentAsString().Trim();
                    break;
                default:
                    sawPackage |= xml.LocalName == "package";
                    xml.Read();
                    break;
            }
        }
        if (!sawPackage)
        {
            return null;
        }
        return new PackageManifest
        {
            Path = path, Name = name, Version = version, License = license, LicenseFile = licenseFile,
            // <licenseUrl> counts only without <license> (NuGet then writes a placeholder URL).
            LicenseUrl = license is null && licenseUrl is { Length: > 0 } ? licenseUrl : null,
            Status = LicenseStatus.Unknown, Reason = "",
        };
    }
}
