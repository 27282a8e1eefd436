using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeakGuard.Core.Rules;

/// <summary>
/// The built-in rule files as read from their YAML, kept as JSON in the cache folder beside the
/// Hyperscan database: deserialising the YAML was a quarter of a second of every start-up,
/// reading this a few milliseconds. The file is named by a hash of the embedded YAML, so a
/// changed rule is read afresh. A cache that cannot be read is rebuilt; one that cannot be
/// written is skipped: either way the rules are the same.
/// </summary>
internal sealed class BuiltInRuleCache(string directory, IReadOnlyList<(string Name, byte[] Yaml)> files)
{
    private readonly string _path = Path.Join(directory, $"rules-{Key(files)}.json");

    public List<RuleDocumentFile>? TryRead()
    {
        try
        {
            using var stream = File.OpenRead(_path);
            var documents = JsonSerializer.Deserialize(stream, RuleCacheJson.Default.ListRuleDocumentFile);
            // Valid JSON of another shape (an empty list, a file missing) is as good as none.
            if (documents is not null && documents.Select(d => d?.Source).SequenceEqual(files.Select(f => f.Name))
                && documents.All(d => d.Rules is not null && !d.Rules.Contains(null!)))
            {
                Matching.CacheFiles.Touch(_path);
                return documents;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public void TryWrite(List<RuleDocumentFile> documents)
    {
        // Written beside and renamed into place: a reader never sees half a file.
        string temporary = $"{_path}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = File.Create(temporary))
            {
                JsonSerializer.Serialize(stream, documents, RuleCacheJson.Default.ListRuleDocumentFile);
            }
            File.Move(temporary, _path, overwrite: true);
            Matching.CacheFiles.Prune(directory, "rules-*.json");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string Key(IReadOnlyList<(string Name, byte[] Yaml)> files)
    {
        // XXH128 as for the Hyperscan database's cache (HyperscanDatabase.CacheKey): no OpenSSL at start-up.
        var hash = new XxHash128();
        // The documents' shape too: a build that reads a new field must not take a cache written without it.
        hash.Append(System.Text.Encoding.UTF8.GetBytes(DocumentShape));
        foreach (var (name, yaml) in files)
        {
            hash.Append(System.Text.Encoding.UTF8.GetBytes(name + "\0" + yaml.Length + "\0"));
            hash.Append(yaml);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static readonly string DocumentShape = string.Join(";", new[] { typeof(RuleDocument), typeof(ValidateDocument) }
        .SelectMany(t => t.GetProperties().Select(p => $"{t.Name}.{p.Name}:{p.PropertyType}")));
}

[JsonSerializable(typeof(List<RuleDocumentFile>))]
internal sealed partial class RuleCacheJson : JsonSerializerContext;
