using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;
using LibGit2Sharp;

namespace LeakGuard.Sources.Tests.Git;

public class GitObjectDirectoryTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("leakguard-objects-tests-").FullName;

    /// <summary>A history of files that change a little each commit — what git stores as chains of
    /// deltas once packed — packed as <paramref name="repack"/> says, then a few commits more, left loose.</summary>
    private TestRepository History(params string[] repack)
    {
        var repo = new TestRepository(Path.Join(_root, "repo"));
        var lines = new List<string>();
        for (int commit = 0; commit < 60; commit++)
        {
            lines.Insert(commit * 7 % (lines.Count + 1), $"line {commit}: value = {commit * 7919 % 1000}; // changed in commit {commit}");
            for (int file = 0; file < 3; file++)
            {
                repo.Write($"src/file{file}.cs", $"// file {file}\n" + string.Join('\n', lines.Skip(file)) + "\n");
            }
            repo.Commit($"commit {commit}");
            if (commit == 49)
            {
                repo.Git([.. new[] { "repack", "-a", "-d", "-f", "-q" }, .. repack]);
            }
        }
        return repo;
    }

    /// <summary>Every blob id in the repository, by git's own listing.</summary>
    private static List<string> BlobIds(TestRepository repo) =>
    [
        .. repo.Git("cat-file", "--batch-all-objects", "--batch-check").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).Where(f => f[1] == "blob").Select(f => f[0]),
    ];

    private static int DeltaEntries(TestRepository repo)
    {
        string pack = Directory.GetFiles(Path.Join(repo.Path, ".git", "objects", "pack"), "*.idx").Single();
        // verify-pack -v: "id type size size-in-pack offset depth base-id" for a delta.
        return repo.Git("verify-pack", "-v", pack).Split('\n').Count(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 7 } f && f[1] == "blob");
    }

    private static void AssertEveryBlobAsGitReadsIt(TestRepository repo)
    {
        string gitDirectory = Path.Join(repo.Path, ".git");
        using var objects = GitObjectDirectory.Open(gitDirectory);
        Assert.NotNull(objects);
        using var git = CatFileProcess.TryStart(gitDirectory)!;
        var ids = BlobIds(repo);
        Assert.True(ids.Count > 150, $"{ids.Count} blobs");
        // Newest first, as a history scan reads, then oldest first: the cache must not matter.
        foreach (string id in Enumerable.Reverse(ids).Concat(ids))
        {
            using var stream = objects.OpenBlob(new ObjectId(id));
            Assert.NotNull(stream);
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            Assert.Equal(git.Read(id), bytes.ToArray());
            Assert.Equal(bytes.Length, objects.SizeOf(new ObjectId(id)));
        }
    }

    [Fact]
    public void Every_blob_of_a_packed_history_with_offset_deltas_and_loose_objects_reads_as_git_reads_it()
    {
        var repo = History("--depth=50", "--window=50");
        Assert.True(DeltaEntries(repo) > 100, "the pack stores most blobs as deltas");
        Assert.Contains("count: ", repo.Git("count-objects", "-v"));
        Assert.DoesNotContain("count: 0\n", repo.Git("count-objects", "-v"));
        AssertEveryBlobAsGitReadsIt(repo);
    }

    [Fact]
    public void Every_blob_of_a_pack_whose_deltas_name_their_bases_by_id_reads_as_git_reads_it()
    {
        var repo = History();
        repo.Git("-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q");
        Assert.True(DeltaEntries(repo) > 100);
        AssertEveryBlobAsGitReadsIt(repo);
    }

    [Fact]
    public void Blobs_a_shared_clone_borrows_from_its_alternates_read_as_git_reads_them()
    {
        var repo = History("--depth=50");
        string clone = Path.Join(_root, "clone");
        repo.Git("clone", "-q", "--shared", repo.Path, clone);
        Assert.True(File.Exists(Path.Join(clone, ".git", "objects", "info", "alternates")));
        Assert.Empty(Directory.GetFiles(Path.Join(clone, ".git", "objects", "pack")));
        AssertEveryBlobAsGitReadsIt(new TestRepository(clone));
    }

    [Fact]
    public void A_linked_work_tree_reads_the_repository_s_objects()
    {
        var repo = History();
        repo.Git("worktree", "add", "-q", Path.Join(_root, "linked"), "HEAD~3");
        using var repository = new Repository(Path.Join(_root, "linked"));
        Assert.Contains("worktrees", repository.Info.Path);
        using var objects = GitObjectDirectory.Open(repository.Info.Path);
        Assert.NotNull(objects);
        string id = repo.Git("rev-parse", "HEAD~3:src/file0.cs").Trim();
        using var stream = new StreamReader(objects.OpenBlob(new ObjectId(id))!);
        Assert.Equal(repo.Git("cat-file", "blob", id), stream.ReadToEnd());
    }

    [Fact]
    public void Objects_that_are_not_blobs_are_not_read_as_blobs()
    {
        var repo = History();
        using var objects = GitObjectDirectory.Open(Path.Join(repo.Path, ".git"))!;
        Assert.Null(objects.OpenBlob(new ObjectId(repo.Git("rev-parse", "HEAD").Trim())));
        Assert.Null(objects.OpenBlob(new ObjectId(repo.Git("rev-parse", "HEAD~55^{tree}").Trim())));
        Assert.Null(objects.OpenBlob(new ObjectId(new string('0', 39) + "1")));
        Assert.Null(objects.SizeOf(new ObjectId(new string('0', 39) + "1")));
    }

    [Fact]
    public void A_blob_the_directory_does_not_hold_when_opened_comes_from_git()
    {
        var repo = History();
        using var repository = new Repository(repo.Path);
        using var reader = new BlobReader(repository);
        // Packed after the reader opened the directory: only git knows where it is now.
        repo.Write("late.txt", "written late\n").Commit("late");
        repo.Git("repack", "-a", "-d", "-q");
        var late = new ObjectId(repo.Git("rev-parse", "HEAD:late.txt").Trim());
        using var stream = new StreamReader(reader.Open(late));
        Assert.Equal("written late\n", stream.ReadToEnd());
    }

    // Packs written here byte by byte: what no git writes, which a hostile repository may hold.

    private static byte[] Id(int n) => [.. Enumerable.Repeat((byte)n, 20)];

    private static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Header(int type, long size)
    {
        var bytes = new List<byte> { (byte)((type << 4) | (int)(size & 15) | (size > 15 ? 0x80 : 0)) };
        for (size >>= 4; size > 0; size >>= 7)
        {
            bytes.Add((byte)((int)(size & 0x7F) | (size > 0x7F ? 0x80 : 0)));
        }
        return [.. bytes];
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        do
        {
            bytes.Add((byte)((int)(value & 0x7F) | (value > 0x7F ? 0x80 : 0)));
            value >>= 7;
        }
        while (value > 0);
        return [.. bytes];
    }

    /// <summary>A blob entry: whole, or a delta naming its base by id.</summary>
    private sealed record PackEntry(byte[] Id, byte[] Data, byte[]? BaseId = null, long? ClaimedSize = null);

    /// <summary>Writes a pack and its version 2 index into a fresh object directory; returns the git directory.</summary>
    private string WritePack(params PackEntry[] entries)
    {
        string gitDirectory = Path.Join(_root, $"hostile-{Guid.NewGuid():N}");
        string packs = Path.Join(gitDirectory, "objects", "pack");
        Directory.CreateDirectory(packs);
        var pack = new MemoryStream();
        pack.Write("PACK"u8);
        pack.Write([0, 0, 0, 2]);
        pack.Write(BitConverter.IsLittleEndian ? BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(entries.Length)) : BitConverter.GetBytes(entries.Length));
        var offsets = new Dictionary<byte[], long>();
        foreach (var entry in entries)
        {
            offsets[entry.Id] = pack.Position;
            pack.Write(Header(entry.BaseId is null ? 3 : 7, entry.ClaimedSize ?? entry.Data.Length));
            if (entry.BaseId is { } baseId)
            {
                pack.Write(baseId);
            }
            pack.Write(Zlib(entry.Data));
        }
        pack.Write(new byte[20]);
        File.WriteAllBytes(Path.Join(packs, "pack-test.pack"), pack.ToArray());
        var sorted = entries.Select(e => e.Id).OrderBy(id => Convert.ToHexString(id)).ToList();
        var index = new MemoryStream();
        index.Write([0xFF, (byte)'t', (byte)'O', (byte)'c', 0, 0, 0, 2]);
        Span<byte> word = stackalloc byte[4];
        for (int b = 0; b < 256; b++)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, sorted.Count(id => id[0] <= b));
            index.Write(word);
        }
        sorted.ForEach(id => index.Write(id));
        sorted.ForEach(_ => index.Write(new byte[4]));
        foreach (var id in sorted)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, (int)offsets[id]);
            index.Write(word);
        }
        index.Write(new byte[40]);
        File.WriteAllBytes(Path.Join(packs, "pack-test.idx"), index.ToArray());
        return gitDirectory;
    }

    private static byte[] Delta(int baseSize, int resultSize, params byte[][] instructions) =>
        [.. Varint(baseSize), .. Varint(resultSize), .. instructions.SelectMany(i => i)];

    private static byte[] Copy(int offset, int size) => [0x80 | 0x01 | 0x10, (byte)offset, (byte)size];

    private static byte[] Insert(string text) => [(byte)text.Length, .. Encoding.ASCII.GetBytes(text)];

    private static string? Read(string gitDirectory, int id)
    {
        using var objects = GitObjectDirectory.Open(gitDirectory);
        Assert.NotNull(objects);
        using var stream = objects.OpenBlob(new ObjectId(Id(id)));
        return stream is null ? null : new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void A_pack_written_by_hand_reads_whole_blobs_and_applies_copies_and_inserts()
    {
        string git = WritePack(
            new PackEntry(Id(1), "hello, world\n"u8.ToArray()),
            new PackEntry(Id(2), Delta(13, 20, Copy(0, 7), Insert("there, "), Copy(7, 6)), BaseId: Id(1)));
        Assert.Equal("hello, world\n", Read(git, 1));
        Assert.Equal("hello, there, world\n", Read(git, 2));
    }

    [Fact]
    public void Damaged_entries_are_left_to_git_at_a_bounded_cost()
    {
        string git = WritePack(
            new PackEntry(Id(1), "hello, world\n"u8.ToArray()),
            // Each the base of the other: a loop, followed only as far as the longest chain.
            new PackEntry(Id(2), Delta(13, 13, Copy(0, 13)), BaseId: Id(3)),
            new PackEntry(Id(3), Delta(13, 13, Copy(0, 13)), BaseId: Id(2)),
            // Copies past its base's end; a result longer than it says; a delta for another base.
            new PackEntry(Id(4), Delta(13, 20, Copy(10, 20)), BaseId: Id(1)),
            new PackEntry(Id(5), Delta(13, 5, Copy(0, 13)), BaseId: Id(1)),
            new PackEntry(Id(6), Delta(99, 13, Copy(0, 13)), BaseId: Id(1)),
            // More or fewer bytes than the header claims; a base that is nowhere.
            new PackEntry(Id(7), "twelve bytes"u8.ToArray(), ClaimedSize: 6),
            new PackEntry(Id(8), "six"u8.ToArray(), ClaimedSize: 6),
            new PackEntry(Id(9), Delta(13, 13, Copy(0, 13)), BaseId: Id(42)));
        Assert.Equal("hello, world\n", Read(git, 1));
        foreach (int damaged in (int[])[2, 3, 4, 5, 6, 7, 8, 9])
        {
            Assert.Null(Read(git, damaged));
        }
    }

    [Fact]
    public void Sizes_a_damaged_entry_states_cost_no_memory()
    {
        string git = WritePack(
            new PackEntry(Id(1), "hello, world\n"u8.ToArray()),
            // 100 MB stated for a dozen bytes of deflate; a delta that states 100 MB and copies 13 bytes.
            new PackEntry(Id(2), "twelve bytes"u8.ToArray(), ClaimedSize: 100 << 20),
            new PackEntry(Id(3), Delta(13, 100 << 20, Copy(0, 13)), BaseId: Id(1)));
        using var objects = GitObjectDirectory.Open(git)!;
        Assert.NotNull(objects.OpenBlob(new ObjectId(Id(1))));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(objects.OpenBlob(new ObjectId(Id(2))));
        Assert.Null(objects.OpenBlob(new ObjectId(Id(3))));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    [Fact]
    public void An_index_or_pack_it_does_not_take_leaves_the_whole_directory_to_git()
    {
        string git = WritePack(new PackEntry(Id(1), "hello\n"u8.ToArray()));
        string index = Path.Join(git, "objects", "pack", "pack-test.idx");
        byte[] whole = File.ReadAllBytes(index);
        File.WriteAllBytes(index, whole[..^50]);
        Assert.Null(GitObjectDirectory.Open(git));
        File.WriteAllBytes(index, whole);
        using (var objects = GitObjectDirectory.Open(git))
        {
            Assert.NotNull(objects);
        }
        // A pack that holds another number of objects than its index says.
        string pack = Path.ChangeExtension(index, ".pack");
        byte[] packBytes = File.ReadAllBytes(pack);
        packBytes[11] = 9;
        File.WriteAllBytes(pack, packBytes);
        Assert.Null(GitObjectDirectory.Open(git));
    }
}
