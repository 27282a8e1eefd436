using LeakGuard.Sources.Git;
using LeakGuard.Tests.Git;
using LibGit2Sharp;

namespace LeakGuard.Sources.Tests.Git;

public class BlobReadAheadTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("leakguard-readahead-tests-").FullName;
    private readonly TestRepository _repo;

    public BlobReadAheadTests() => _repo = new TestRepository(Path.Join(_root, "repo"));

    /// <summary><paramref name="count"/> blobs of <paramref name="size"/> bytes each, distinct, in one commit.</summary>
    private List<(ObjectId Id, string Text)> Blobs(int count, int size)
    {
        var blobs = new List<(ObjectId, string)>();
        for (int i = 0; i < count; i++)
        {
            string text = $"blob {i}\n" + new string((char)('a' + i % 26), size);
            _repo.Write($"b/{i}.txt", text);
            blobs.Add((new ObjectId(_repo.Git("hash-object", $"b/{i}.txt").Trim()), text));
        }
        _repo.Commit("blobs");
        return blobs;
    }

    private string GitDirectory => Path.Join(_repo.Path, ".git");

    private static string? Text(Stream? stream)
    {
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Every_blob_taken_in_order_is_git_s_content_and_is_handed_over_once()
    {
        var blobs = Blobs(300, 1000);

        using var ahead = BlobReadAhead.Start(GitDirectory, [.. blobs.Select(b => b.Id)])!;

        Assert.All(blobs, b => Assert.Equal(b.Text, Text(ahead.Take(b.Id))));
        Assert.Null(ahead.Take(blobs[0].Id));
    }

    [Fact]
    public void Blobs_nobody_takes_are_set_aside_when_one_further_on_is_asked_for_and_the_rest_still_arrive()
    {
        // 40 blobs of 100 KiB against a budget of 1 MiB: asking for the last without taking the
        // others must not wait for ever.
        var blobs = Blobs(40, 100 * 1024);

        using var ahead = BlobReadAhead.Start(GitDirectory, [.. blobs.Select(b => b.Id)], budget: 1 << 20)!;
        var last = ahead.Take(blobs[^1].Id);

        Assert.Equal(blobs[^1].Text, Text(last));
        // The first ones were set aside for it: their workers read them themselves.
        Assert.Null(ahead.Take(blobs[0].Id));
    }

    [Fact]
    public void A_blob_git_does_not_have_is_left_to_the_worker_and_the_ones_after_it_arrive()
    {
        var blobs = Blobs(3, 10);
        var missing = new ObjectId("0123456789abcdef0123456789abcdef01234567");

        using var ahead = BlobReadAhead.Start(GitDirectory, [blobs[0].Id, missing, blobs[1].Id, blobs[2].Id])!;

        Assert.Null(ahead.Take(missing));
        Assert.Equal(blobs[2].Text, Text(ahead.Take(blobs[2].Id)));
        Assert.Equal(blobs[1].Text, Text(ahead.Take(blobs[1].Id)));
    }

    [Fact]
    public void The_blob_reader_gives_every_blob_whatever_order_it_is_asked_in()
    {
        var blobs = Blobs(40, 100 * 1024);
        using var repository = new Repository(_repo.Path);
        using var reader = new BlobReader(repository);
        reader.ReadAhead([.. blobs.Select(b => b.Id)]);

        // Backwards: the reader runs ahead of what is asked for, then is asked for what it read first.
        foreach (var (id, text) in Enumerable.Reverse(blobs))
        {
            using var stream = new StreamReader(reader.Open(id));
            Assert.Equal(text, stream.ReadToEnd());
        }
    }
}
