using System.Text.Json;
using System.Xml;

namespace LeakGuard.Core.Exposure;

/// <summary>
/// What a package says about itself that decides how bad exposed source is: its name, version and
/// licence, read from npm's package.json or NuGet's .nuspec. <see cref="Verdict"/> is the reason
/// a reader sees in a finding ("not open source: UNLICENSED").
/// </summary>
public sealed record PackageManifest
{
    /// <summary>Manifests larger than this are not package manifests worth trusting.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Archive-qualified path of the manifest file.</summary>
    public required string Path { get; init; }
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? License { get; init; }
    public bool Private { get; init; }
    public required bool OpenSource { get; init; }
    public required string Verdict { get; init; }

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
                return manifest with { OpenSource = false, Verdict = $"not open source: {name} is on the protected list" };
            }
            return manifest;
        }
        catch (Exception e) when (e is JsonException or XmlException or InvalidOperationException)
        {
            return null;
        }
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
        return Decide(path, name, version, license, isPrivate);
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
        string? name = null, version = null, license = null;
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
                case "license":
                    // type="file" points at a licence text no one has classified: not open source
                    // as far as anyone can tell without reading it.
                    license = xml.GetAttribute("type") == "expression" ? xml.ReadElementContentAsString().Trim() : "SEE LICENSE IN " + xml.ReadElementContentAsString().Trim();
                    break;
                case "licenseUrl" when license is null:
                    license = "SEE LICENSE IN " + xml.ReadElementContentAsString().Trim();
                    break;
                default:
                    sawPackage |= xml.LocalName == "package";
                    xml.Read();
                    break;
            }
        }
        return sawPackage ? Decide(path, name, version, license, isPrivate: false) : null;
    }

    private static PackageManifest Decide(string path, string? name, string? version, string? license, bool isPrivate)
    {
        (bool open, string verdict) = (license, isPrivate) switch
        {
            (_, true) => (false, "not open source: \"private\": true"),
            (null or "", _) => (false, "not open source: no licence declared"),
            ({ } l, _) when l.Equals("UNLICENSED", StringComparison.OrdinalIgnoreCase) => (false, "not open source: UNLICENSED"),
            ({ } l, _) when l.StartsWith("SEE LICENSE IN", StringComparison.OrdinalIgnoreCase) => (false, $"not open source: {l}"),
            ({ } l, _) when OpenSourceLicenses.IsOpenSource(l) => (true, $"open source: {l}"),
            ({ } l, _) => (false, $"not open source: {l} is not an OSI-approved licence"),
        };
        return new PackageManifest { Path = path, Name = name, Version = version, License = license, Private = isPrivate, OpenSource = open, Verdict = verdict };
    }
}
