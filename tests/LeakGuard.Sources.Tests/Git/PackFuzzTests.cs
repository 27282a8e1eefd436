using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;
using LeakGuard.Tests.Shared.Fuzzing;
using LibGit2Sharp;
using Xunit.Abstractions;

namespace LeakGuard.Sources.Tests.Git;

/// <summary>
/// Fuzzes the reader of git's object directory (<see cref="GitObjectDirectory"/>) with a real pack
/// and index that git wrote for a small history (whole blobs, offset deltas, a tree and commits),
/// each mutated while the other stays as git wrote it: every blob the index lists is read and
/// sized. A damaged pack is the caller's to read through git, so the reader may answer null for
/// anything, but must never throw, nor take memory its input cannot explain.
/// </summary>
public sealed class PackFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Dictionary =
        ["PACK", "\0\0\0\u0002", "\0\0\0\u0003", "\u00fftOc", "\u0080", "\u00ff\u00ff\u00ff\u00ff", "\u007f", "\u0090", "\u00b0", "\u00e0", "\u00f0",
         "x\u009c", "x\u0001", "x\u00da", "\0\0\0\0"];

    private readonly string _root = Directory.CreateTempSubdirectory("leakguard-pack-fuzz-").FullName;

    private (byte[] Pack, byte[] Index, List<ObjectId> Blobs) Sample()
    {
        var repo = new TestRepository(Path.Join(_root, "repo"));
        for (int commit = 0; commit < 8; commit++)
        {
            repo.Write("notes.txt", string.Concat(Enumerable.Range(0, commit + 3).Select(i => $"line {i}: the value was {i * 31 % 97}\n")));
            repo.Write("config.env", $"PORT={8000 + commit}\nNAME=sample\n");
            repo.Commit($"commit {commit}");
        }
        repo.Git("repack", "-a", "-d", "-f", "-q", "--depth=10", "--window=10");
        string packs = Path.Join(repo.Path, ".git", "objects", "pack");
        string index = Directory.GetFiles(packs, "*.idx").Single();
        var blobs = repo.Git("cat-file", "--batch-all-objects", "--batch-check").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).Where(f => f[1] == "blob").Select(f => new ObjectId(f[0])).ToList();
        return (File.ReadAllBytes(Path.ChangeExtension(index, ".pack")), File.ReadAllBytes(index), blobs);
    }

    /// <summary>Writes the pair as the only pack of a fresh object directory and reads every blob.</summary>
    private void ReadAll(byte[] pack, byte[] index, List<ObjectId> blobs)
    {
        string git = Path.Join(_root, "fuzzed");
        string packs = Path.Join(git, "objects", "pack");
        Directory.CreateDirectory(packs);
        File.WriteAllBytes(Path.Join(packs, "pack-fuzzed.pack"), pack);
        File.WriteAllBytes(Path.Join(packs, "pack-fuzzed.idx"), index);
        using var objects = GitObjectDirectory.Open(git);
        if (objects is null)
        {
            return;
        }
        foreach (var blob in blobs)
        {
            objects.SizeOf(blob);
            using var stream = objects.OpenBlob(blob);
            stream?.CopyTo(Stream.Null);
        }
    }

    private void Fuzz(string parser, bool mutatePack)
    {
        var (pack, index, blobs) = Sample();
        // The samples are read whole: a reader that gives up on them fuzzes nothing.
        ReadAll(pack, index, blobs);
        using (var objects = GitObjectDirectory.Open(Path.Join(_root, "fuzzed")))
        {
            Assert.All(blobs, blob => Assert.NotNull(objects!.OpenBlob(blob)));
        }
        var outcome = new FuzzLoop
        {
            Parser = parser,
            Samples = [mutatePack ? pack : index],
            Dictionary = Dictionary,
            // The index is read whole and each object inflated once or twice: a few times the
            // input, the pool's rounding, and deflate's at most 1,032 bytes out for each byte in.
            AllocationLimit = length => 4L * 1024 * 1024 + 2L * 1032 * length,
            Target = input => ReadAll(mutatePack ? input : pack, mutatePack ? index : input, blobs),
        }.Run();
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, outcome.ToString());
    }

    [Fact]
    public void Fuzz_git_pack() => Fuzz("git pack", mutatePack: true);

    [Fact]
    public void Fuzz_git_pack_index() => Fuzz("git pack index", mutatePack: false);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
