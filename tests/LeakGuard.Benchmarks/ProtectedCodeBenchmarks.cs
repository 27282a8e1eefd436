using BenchmarkDotNet.Attributes;
using LeakGuard.Core.Protection;

namespace LeakGuard.Benchmarks;

/// <summary>
/// What looking for protected code costs a scan, stage by stage, on the code files of the same
/// real source as <see cref="PipelineStageBenchmarks"/> (64 MiB of Python's standard library and
/// C headers): tokenising, tokenising and winnowing, and the whole
/// lookup (<see cref="ProtectedCodeMatcher.Match"/>) against an index of code those files do not
/// hold (Debian's Python packages, /usr/lib/python3/dist-packages), so that the filter, not the
/// findings, is what is measured. One thread. Run:
/// dotnet run -c Release --project tests/LeakGuard.Benchmarks -- --filter '*ProtectedCode*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class ProtectedCodeBenchmarks
{
    private const string Unrelated = "/usr/lib/python3/dist-packages";

    private IReadOnlyList<string> _paths = [];
    private byte[][] _contents = [];
    private ProtectedCodeMatcher? _matcher;
    private readonly CodeToken[] _tokens = new CodeToken[4096];
    private readonly List<KeptRun> _fingerprints = [];

    [GlobalSetup]
    public void Setup()
    {
        long total = 0;
        _paths = [.. RealSourceText.Files(long.MaxValue).Where(CodeFiles.IsCode).TakeWhile(path => (total += new FileInfo(path).Length) <= 64 << 20)];
        _contents = [.. _paths.Select(File.ReadAllBytes)];
        var builder = new ProtectedCodebaseBuilder("unrelated");
        foreach (string file in Directory.EnumerateFiles(Unrelated, "*", SearchOption.AllDirectories).Where(CodeFiles.IsCode).Order(StringComparer.Ordinal))
        {
            builder.AddFile(Path.GetRelativePath(Unrelated, file), File.ReadAllBytes(file));
        }
        var index = new ProtectedIndex([builder.Build([Unrelated], DateTimeOffset.UnixEpoch, [])]);
        _matcher = new ProtectedCodeMatcher(index);
        Console.WriteLine($"// {_paths.Count} code files, {_contents.Sum(c => (long)c.Length) / 1048576.0:N1} MiB; index of {index.Count:N0} fingerprints");
    }

    [Benchmark]
    public long Tokenise()
    {
        long tokens = 0;
        foreach (byte[] content in _contents)
        {
            int position = 0;
            while (position < content.Length)
            {
                tokens += CodeTokens.Read(content, ref position, _tokens);
            }
        }
        return tokens;
    }

    [Benchmark]
    public long TokeniseAndWinnow()
    {
        long fingerprints = 0;
        foreach (byte[] content in _contents)
        {
            _fingerprints.Clear();
            Winnowing.Fingerprints(content, _fingerprints);
            fingerprints += _fingerprints.Count;
        }
        return fingerprints;
    }

    [Benchmark]
    public int Match()
    {
        int matches = 0;
        for (int i = 0; i < _contents.Length; i++)
        {
            matches += _matcher!.Match(_paths[i], _contents[i]).Count;
        }
        return matches;
    }
}
