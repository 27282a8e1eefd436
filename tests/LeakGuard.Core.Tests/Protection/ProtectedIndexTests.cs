using System.Text;
using LeakGuard.Core.Protection;

namespace LeakGuard.Core.Tests.Protection;

public sealed class ProtectedIndexTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("leakguard-protected-index-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static ProtectedCodebase Codebase(string name, params string[] files)
    {
        var builder = new ProtectedCodebaseBuilder(name);
        foreach (string file in files)
        {
            string stdlib = Directory.GetDirectories("/usr/lib", "python3.*").Select(d => Path.Join(d, file)).First(File.Exists);
            builder.AddFile(file, File.ReadAllBytes(stdlib));
        }
        return builder.Build([$"/src/{name}"], new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), ["lgcanary_aaaaaaaaaaaaaaaaaaaaaaaaaa"]);
    }

    [Fact]
    public void An_index_saved_and_loaded_finds_the_same_fingerprints()
    {
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py", "shlex.py"), Codebase("acme/tools", "fnmatch.py")]);
        string path = Path.Join(directory, "index.lgpi");
        index.Save(path);

        var loaded = ProtectedIndex.Load(path, checkInBackground: true);

        Assert.Equal(["acme/core", "acme/tools"], loaded.Codebases.Select(c => c.Name));
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.Codebases[0].Files, loaded.Codebases[0].Files);
        Assert.Equal(index.Codebases[0].Canaries, loaded.Codebases[0].Canaries);
        Assert.Equal(index.Codebases[1].Added, loaded.Codebases[1].Added);
        Assert.Equal(index.Codebases[1].Fingerprints, loaded.Codebases[1].Fingerprints);
        foreach (var f in index.Codebases[0].Fingerprints.Take(200))
        {
            Assert.True(loaded.MayHold(f.Hash));
            Assert.Contains(f, loaded.Codebases[0].Fingerprints.Lookup(f.Hash).ToArray());
        }
        Assert.True(loaded.Codebases[0].Fingerprints.Lookup(0x0123456789ABCDEF).IsEmpty);
        Assert.True(loaded.Codebases[1].Fingerprints.Lookup(index.Codebases[0].Fingerprints[0].Hash).IsEmpty
            || index.Codebases[1].Fingerprints.Any(f => f.Hash == index.Codebases[0].Fingerprints[0].Hash));
    }

    [Fact]
    public void The_filter_lets_through_few_fingerprints_of_code_the_index_does_not_hold()
    {
        // Winnowed fingerprints are each window's smallest hash, so their top bits are mostly zero:
        // a filter indexed by them fills one corner (the one before this test let 19 % of these
        // through). Real code on both sides: Python's standard library protected, C headers scanned.
        string stdlib = Directory.GetDirectories("/usr/lib", "python3.*").First(d => File.Exists(Path.Join(d, "textwrap.py")));
        var builder = new ProtectedCodebaseBuilder("python");
        foreach (string file in Directory.EnumerateFiles(stdlib, "*.py").Order(StringComparer.Ordinal))
        {
            builder.AddFile(Path.GetRelativePath(stdlib, file), File.ReadAllBytes(file));
        }
        var index = new ProtectedIndex([builder.Build(["/usr/lib/python3"], DateTimeOffset.UnixEpoch, [])]);
        var scanned = Directory.EnumerateFiles("/usr/include", "*.h", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Take(2000).SelectMany(f => Winnowing.Of(File.ReadAllBytes(f))).Select(f => f.Hash)
            .Where(h => index.Codebases[0].Fingerprints.Lookup(h).IsEmpty).ToList();

        int passed = scanned.Count(index.MayHold);

        Assert.True(index.Count > 50_000 && scanned.Count > 20_000, $"{index.Count} protected, {scanned.Count} scanned");
        Assert.True(passed < scanned.Count / 50, $"{passed} of {scanned.Count} unrelated fingerprints passed the filter");
    }

    [Fact]
    public void The_filter_lets_through_every_fingerprint_the_index_holds_whatever_its_hash()
    {
        // The filter's word grows with the hash (so loading fills it front to back): the ends of
        // the range and hashes crowded at the low end, as winnowing keeps them, all land in a word.
        var random = new Random(13);
        ulong[] hashes = [0, 1, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63,
            .. Enumerable.Range(0, 20_000).Select(_ => (ulong)random.NextInt64() >> random.Next(0, 40))];
        var codebase = new ProtectedCodebase("acme/core", ["/src"], DateTimeOffset.UnixEpoch, 1, [new ProtectedFile("a.py", 10)],
            FingerprintTable.Of(hashes.Select(h => new ProtectedFingerprint(h, 0, 1, 2))), []);
        string path = Path.Join(directory, "index.lgpi");
        new ProtectedIndex([codebase]).Save(path);

        var loaded = ProtectedIndex.Load(path, checkInBackground: true);

        Assert.All(hashes, h => Assert.True(loaded.MayHold(h), $"{h:X16}"));
        Assert.Equal("a.py", loaded.Codebases[0].Files[0].Path);
    }

    [Fact]
    public void Fingerprints_looked_up_together_pass_the_filter_exactly_as_one_by_one()
    {
        // Held and unheld hashes mixed, across the whole range, many batches' worth and not a
        // whole number of them.
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py", "shlex.py")]);
        var random = new Random(7);
        var runs = index.Codebases[0].Fingerprints.Take(150).Select(f => f.Hash)
            .Concat<ulong>([0, ulong.MaxValue, .. Enumerable.Range(0, 5_000).Select(_ => (ulong)random.NextInt64() >> random.Next(0, 40))])
            .OrderBy(_ => random.Next()).Select((hash, i) => new KeptRun(hash, i, i + 1)).ToArray();
        var passed = new List<int> { -1 };

        index.MayHold(runs, passed);

        Assert.Equal([-1, .. Enumerable.Range(0, runs.Length).Where(i => index.MayHold(runs[i].Hash))], passed);
        Assert.InRange(passed.Count, 151, 400);
    }

    /// <summary>Where the table holding <paramref name="first"/> starts in a saved index.</summary>
    private static int TableAt(byte[] saved, ProtectedFingerprint first) =>
        saved.AsSpan().IndexOf(BitConverter.GetBytes(first.Hash));

    [Theory]
    [InlineData(8, 4, 0x7F)] // the last fingerprint names a file the codebase does not have
    [InlineData(0, 8, 0x00)] // the last fingerprint's hash is below the one before it
    [InlineData(-1, 1, 0x00)] // a bit of the filter flipped
    public void A_damaged_index_is_refused_on_load_by_its_checksum(int offsetInRecord, int length, byte value)
    {
        string path = Path.Join(directory, "index.lgpi");
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py")]);
        index.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        var table = index.Codebases[0].Fingerprints;
        // The filter's last word lies just before the 8 bytes of the checksum.
        int at = offsetInRecord < 0 ? bytes.Length - 9 : TableAt(bytes, table[0]) + (table.Count - 1) * 20 + offsetInRecord;
        if (offsetInRecord < 0)
        {
            bytes[at] ^= 1;
        }
        else
        {
            Assert.NotEqual(value, bytes[at]);
            bytes.AsSpan(at, length).Fill(value);
        }
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(path));
        var inBackground = ProtectedIndex.Load(path, checkInBackground: true);

        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, Assert.Throws<InvalidDataException>(inBackground.WaitChecked).Message);
        Assert.Throws<InvalidDataException>(() => inBackground.MayHold(0));
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ProtectedIndex.FromBytes(bytes, "stored")).Message);
        Assert.Equal(index.Count, ProtectedIndex.FromBytes(index.ToBytes(), "stored").Count);
    }

    [Fact]
    public void The_stored_filter_passes_what_the_filter_of_the_same_codebases_built_in_memory_passes()
    {
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py", "shlex.py"), Codebase("acme/tools", "fnmatch.py")]);
        string path = Path.Join(directory, "index.lgpi");
        index.Save(path);
        var random = new Random(3);
        ulong[] probes = [.. index.Codebases.SelectMany(c => c.Fingerprints).Select(f => f.Hash),
            .. Enumerable.Range(0, 50_000).Select(_ => (ulong)random.NextInt64() >> random.Next(0, 30))];

        var mapped = ProtectedIndex.Load(path);
        var read = ProtectedIndex.FromBytes(File.ReadAllBytes(path), "stored");

        bool[] expected = [.. probes.Select(index.MayHold)];
        Assert.Equal(expected, probes.Select(mapped.MayHold));
        Assert.Equal(expected, probes.Select(read.MayHold));
        Assert.InRange(expected.Count(p => p), index.Count / 2, index.Count + 2_000);
    }

    [Fact]
    public void An_index_made_to_name_a_file_its_codebase_lacks_is_refused_where_a_scan_meets_it()
    {
        // The checksum is written anew, as someone crafting the file would: the load passes,
        // and the lookup that meets the record refuses it rather than reading past the files.
        string path = Path.Join(directory, "index.lgpi");
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py")]);
        index.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        int table = TableAt(bytes, index.Codebases[0].Fingerprints[0]);
        for (int i = 0; i < index.Codebases[0].Fingerprints.Count; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(table + i * 20 + 8), 999_999);
        }
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 8), System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)));
        File.WriteAllBytes(path, bytes);
        var loaded = ProtectedIndex.Load(path);
        string textwrap = Directory.GetDirectories("/usr/lib", "python3.*").Select(d => Path.Join(d, "textwrap.py")).First(File.Exists);

        var e = Assert.Throws<InvalidDataException>(() => new ProtectedCodeMatcher(loaded).Match("copy.py", File.ReadAllBytes(textwrap)));

        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("acme/core", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_of_an_earlier_layout_is_to_be_made_again()
    {
        string path = Path.Join(directory, "index.lgpi");
        new ProtectedIndex([Codebase("acme/core", "textwrap.py")]).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        "LGPROT1\n"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(path));

        Assert.Contains("earlier LeakGuard", e.Message, StringComparison.Ordinal);
        Assert.Contains("leakguard protect add", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loaded_index_holds_no_descriptor_of_its_file_once_checked()
    {
        // The checksum is read through a descriptor (not the mapping, whose pages would all be
        // mapped in): each load of a watching service's index must close it, damaged or not.
        string path = Path.Join(directory, "index.lgpi");
        string damaged = Path.Join(directory, "damaged.lgpi");
        new ProtectedIndex([Codebase("acme/core", "textwrap.py")]).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^9] ^= 1;
        File.WriteAllBytes(damaged, bytes);

        ProtectedIndex.Load(path).WaitChecked();
        ProtectedIndex.Load(path, checkInBackground: true).WaitChecked();
        Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(damaged));
        Assert.Throws<InvalidDataException>(ProtectedIndex.Load(damaged, checkInBackground: true).WaitChecked);

        string[] open = [.. new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Select(fd => fd.LinkTarget ?? "")];
        Assert.NotEmpty(open);
        Assert.DoesNotContain(Path.GetFullPath(path), open);
        Assert.DoesNotContain(Path.GetFullPath(damaged), open);
    }

    [Fact]
    public void An_index_cut_inside_its_file_names_is_refused_on_load()
    {
        // A mapped file's names are stepped over at load and decoded later: their lengths are
        // still checked against the file at once.
        string path = Path.Join(directory, "index.lgpi");
        new ProtectedIndex([Codebase("acme/core", "textwrap.py", "shlex.py")]).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        int name = bytes.AsSpan().IndexOf("shlex.py"u8);
        File.WriteAllBytes(path, bytes[..(name + 3)]);

        Assert.Contains("ends early", Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(path)).Message);
        Assert.Contains("ends early", Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(path, checkInBackground: true)).Message);
        // A name's length that is no length at all (five bytes that all say "more follows").
        bytes.AsSpan(name - 1, 5).Fill(0xFF);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(path)).Message);
    }

    [Fact]
    public void Adding_a_codebase_again_replaces_it_and_removing_one_keeps_the_others()
    {
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py"), Codebase("acme/tools", "fnmatch.py")]);

        var replaced = index.With(Codebase("acme/core", "shlex.py"));
        var removed = replaced.Without("acme/core");

        Assert.Equal(["acme/tools", "acme/core"], replaced.Codebases.Select(c => c.Name));
        Assert.Equal(["shlex.py"], replaced.Codebases[1].Files.Select(f => f.Path));
        Assert.Equal(["acme/tools"], removed!.Codebases.Select(c => c.Name));
        Assert.Null(removed.Without("acme/core"));
    }

    [Fact]
    public void A_file_that_is_not_an_index_or_is_cut_short_is_refused_with_a_reason()
    {
        string notIndex = Path.Join(directory, "not.lgpi");
        File.WriteAllText(notIndex, "{\"codebases\": []}");
        string cut = Path.Join(directory, "cut.lgpi");
        new ProtectedIndex([Codebase("acme/core", "textwrap.py")]).Save(cut);
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..200]);

        Assert.Contains("not a LeakGuard protected-code index", Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(notIndex)).Message);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(cut)).Message);
    }

    [Fact]
    public void A_table_naming_a_file_it_lacks_out_of_order_longer_than_the_file_or_followed_by_more_is_refused_as_damaged()
    {
        string path = Path.Join(directory, "index.lgpi");
        var index = new ProtectedIndex([Codebase("acme/core", "textwrap.py")]);
        index.Save(path);
        byte[] saved = File.ReadAllBytes(path);
        int table = TableAt(saved, index.Codebases[0].Fingerprints[0]);
        Assert.Equal(20, System.Runtime.CompilerServices.Unsafe.SizeOf<ProtectedFingerprint>());

        byte[] otherFile = (byte[])saved.Clone();
        BitConverter.TryWriteBytes(otherFile.AsSpan(table + 8), 999_999);
        byte[] outOfOrder = (byte[])saved.Clone();
        BitConverter.TryWriteBytes(outOfOrder.AsSpan(table + 20), 0UL);
        byte[] huge = (byte[])saved.Clone();
        BitConverter.TryWriteBytes(huge.AsSpan(table - 4), 1_000_000_000);
        byte[] longer = [.. saved, 0];

        foreach (var damaged in new[] { otherFile, outOfOrder, huge, longer })
        {
            File.WriteAllBytes(path, damaged);
            Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ProtectedIndex.Load(path)).Message);
            Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ProtectedIndex.FromBytes(damaged, "stored")).Message);
        }
    }

    [Fact]
    public void Only_code_is_indexed_and_fingerprints_common_to_many_of_its_files_are_dropped()
    {
        var builder = new ProtectedCodebaseBuilder("acme/core");
        byte[] code = Encoding.UTF8.GetBytes(File.ReadAllText(Directory.GetDirectories("/usr/lib", "python3.*")
            .Select(d => Path.Join(d, "textwrap.py")).First(File.Exists)));

        Assert.False(builder.AddFile("LICENSE", code));
        Assert.False(builder.AddFile("types/index.d.ts", code));
        Assert.False(builder.AddFile("data.bin", [0, 1, 2, 0, 0]));
        Assert.True(builder.AddFile("a.py", code));
        Assert.False(builder.AddFile("a.py", code));
        int once = builder.Build([], DateTimeOffset.UnixEpoch, []).Fingerprints.Count;
        for (int i = 0; i < ProtectedCodebaseBuilder.MostFilesPerFingerprint; i++)
        {
            builder.AddFile($"copy{i}.py", code);
        }

        Assert.True(once > 0);
        Assert.Empty(builder.Build([], DateTimeOffset.UnixEpoch, []).Fingerprints);
    }

    [Fact]
    public void A_common_list_saved_and_loaded_drops_the_open_source_files_of_a_codebase_and_keeps_its_own()
    {
        string Stdlib(string file) => Directory.GetDirectories("/usr/lib", "python3.*").Select(d => Path.Join(d, file)).First(File.Exists);
        byte[] shlex = File.ReadAllBytes(Stdlib("shlex.py"));
        var openSource = CommonFingerprints.Empty.With(Winnowing.Of(shlex).Select(f => f.Hash), ["/usr/lib/python3/shlex.py"]);
        string path = Path.Join(directory, "common.lgcf");
        openSource.Save(path);
        var loaded = CommonFingerprints.Load(path);
        Assert.Equal(openSource.Count, loaded.Count);
        Assert.Equal(["/usr/lib/python3/shlex.py"], loaded.Sources);
        // Adding the same again adds nothing.
        Assert.Equal(loaded.Count, loaded.With(Winnowing.Of(shlex).Select(f => f.Hash), ["/usr/lib/python3/shlex.py"]).Count);

        var builder = new ProtectedCodebaseBuilder("acme/core");
        builder.AddFile("vendor/shlex.py", shlex);
        builder.AddFile("textwrap.py", File.ReadAllBytes(Stdlib("textwrap.py")));
        var codebase = builder.Build([], DateTimeOffset.UnixEpoch, [], loaded, out int dropped);

        Assert.True(dropped >= Winnowing.Of(shlex).Count, $"{dropped} dropped");
        Assert.All(codebase.Fingerprints, f => Assert.Equal(1, f.File));
        Assert.NotEmpty(codebase.Fingerprints);

        File.WriteAllBytes(path, [.. File.ReadAllBytes(path).AsSpan(0, 40)]);
        Assert.Contains("ends early", Assert.Throws<InvalidDataException>(() => CommonFingerprints.Load(path)).Message);
        File.WriteAllText(path, "not a list");
        Assert.Contains("not a LeakGuard common-fingerprint list", Assert.Throws<InvalidDataException>(() => CommonFingerprints.Load(path)).Message);
    }
}
