namespace LeakGuard.Core.Rules;

/// <summary>
/// The built-in rule files as read from their YAML, kept in the cache folder beside the Hyperscan
/// database in the binary form of <see cref="RuleDocumentBinary"/>: deserialising the YAML was a
/// quarter of a second of every start-up, reading this a few milliseconds. The file is named by
/// the module version id of the assembly that embeds the YAML, which a deterministic build derives
/// from the assembly's whole content (the embedded rule files and the reader's code included), so
/// a changed rule or cache format is read afresh without reading the YAML to find out. A cache that
/// cannot be read is rebuilt; one that cannot be written is skipped: either way the rules are the same.
/// </summary>
internal sealed class BuiltInRuleCache(string directory, IReadOnlyList<string> sources)
{
    private readonly string _path = Path.Join(directory, $"rules-{typeof(BuiltInRuleCache).Assembly.ManifestModule.ModuleVersionId:N}.bin");

    public List<RuleDocumentFile>? TryRead()
    {
        try
        {
            var documents = RuleDocumentBinary.Read(File.ReadAllBytes(_path));
            // A readable file of another rule set (a file missing) is as good as none.
            if (documents.Select(d => d.Source).SequenceEqual(sources))
            {
                Matching.CacheFiles.Touch(_path);
                return documents;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
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
                RuleDocumentBinary.Write(stream, documents);
            }
            File.Move(temporary, _path, overwrite: true);
            Matching.CacheFiles.Prune(directory, "rules-*.bin");
            // The JSON caches of earlier versions.
            foreach (string legacy in Directory.EnumerateFiles(directory, "rules-*.json"))
            {
                File.Delete(legacy);
            }
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
}
