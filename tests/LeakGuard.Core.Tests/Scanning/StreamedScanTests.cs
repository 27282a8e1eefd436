using System.Security.Cryptography;
using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>Text files over the streaming threshold are matched in overlapping windows
/// (<see cref="StreamWindows"/>); the threshold and window size are made small here.</summary>
public class StreamedScanTests
{
    private const string Token = CoreTestKit.GitHubToken;
    private const string Other = "ghp_Wb3nK8pQ1xZr5Tv7Ym2Lc9Hd4Fs6Ja0Ge1Ui";

    /// <summary>Streams anything over 4 KiB, in the smallest windows the test rules allow.</summary>
    private static readonly ScanOptions Streaming = new() { StreamAbove = 4096, StreamWindowSize = 1 };

    private static int WindowSize => StreamWindows.Size(CoreTestKit.Rules().MaxMatchWidth, 1);

    private static int After => StreamWindows.After(CoreTestKit.Rules().MaxMatchWidth);

    /// <summary>Distinct numbered lines of 32 bytes ("line 000001 ...\n") up to <paramref name="bytes"/>.</summary>
    private static StringBuilder Lines(int bytes)
    {
        var text = new StringBuilder(bytes + 64);
        for (int i = 1; text.Length < bytes; i++)
        {
            text.Append(i.ToString("D6")).Append(" distinct line of filler text\n");
        }
        text.Length = bytes;
        return text;
    }

    private static ScanResult Scan(ScanOptions options, string path, byte[] content, bool knownLength = true)
    {
        var rules = CoreTestKit.Rules();
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        var item = new SourceItem
        {
            Path = path,
            Length = knownLength ? content.Length : null,
            Open = () => knownLength ? new MemoryStream(content, writable: false) : new UnseekableStream(content),
        };
        return new Scanner(rules, engine, options).Run([item]);
    }

    private static (int Line, int Column) PositionOf(string text, int offset)
    {
        int line = 1 + text.AsSpan(0, offset).Count('\n');
        int lineStart = text.LastIndexOf('\n', offset - 1) + 1;
        return (line, offset - lineStart + 1);
    }

    [Fact]
    public void A_secret_straddling_a_window_boundary_is_found_once_at_its_line()
    {
        // One token across the end of the first window, one inside the overlap both windows read.
        var text = Lines(3 * WindowSize);
        int straddling = WindowSize - 20;
        int inOverlap = WindowSize - After - 200;
        text.Remove(straddling - 1, Token.Length + 2).Insert(straddling - 1, $" {Token} ");
        text.Remove(inOverlap - 1, Other.Length + 2).Insert(inOverlap - 1, $" {Other} ");
        string content = text.ToString();

        var result = Scan(Streaming, "dump.log", Encoding.ASCII.GetBytes(content));

        Assert.Empty(result.Warnings);
        Assert.Equal(2, result.Findings.Count);
        var straddled = Assert.Single(result.Findings, f => f.SecretDigest == Digest(Token));
        Assert.Equal(PositionOf(content, straddling), (straddled.Location.Line!.Value, straddled.Location.Column!.Value));
        var overlapped = Assert.Single(result.Findings, f => f.SecretDigest == Digest(Other));
        Assert.Equal(PositionOf(content, inOverlap), (overlapped.Location.Line!.Value, overlapped.Location.Column!.Value));
        Assert.Contains(result.Notes, n => n.Contains("matched in windows", StringComparison.Ordinal) && n.Contains("dump.log", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // a stream of unknown length (stdin)
    public void A_secret_at_the_end_of_a_file_over_the_threshold_is_found(bool knownLength)
    {
        string content = Lines(5 * WindowSize + 123) + "\ntoken: " + Token;

        var result = Scan(Streaming, "app.log", Encoding.ASCII.GetBytes(content), knownLength);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(PositionOf(content, content.Length - Token.Length), (finding.Location.Line!.Value, finding.Location.Column!.Value));
        Assert.Equal(content.Length, result.Stats.Bytes);
    }

    [Fact]
    public void A_file_over_the_in_memory_limit_is_scanned_when_no_max_file_size_is_given()
    {
        // What used to be skipped by the default --max-file-size is streamed now.
        var options = Streaming with { MaxInMemorySize = 4096 };
        Assert.Equal(ScanOptions.Unlimited, options.MaxFileSize);
        string content = Lines(3 * WindowSize) + Token + "\n";

        var result = Scan(options, "huge.sql", Encoding.ASCII.GetBytes(content));

        Assert.Single(result.Findings);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_explicit_max_file_size_still_skips_a_larger_file_with_a_warning(bool knownLength)
    {
        // The token is in the first window: a stream found too large later reports nothing of it.
        var options = Streaming with { MaxFileSize = 2 * WindowSize };
        string content = Token + "\n" + Lines(3 * WindowSize);

        var result = Scan(options, "big.log", Encoding.ASCII.GetBytes(content), knownLength);

        Assert.Empty(result.Findings);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("big.log", warning.Path);
        Assert.Contains("larger than --max-file-size", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streamed_findings_match_those_of_the_file_read_whole_caps_included()
    {
        // Ten distinct tokens spread over several windows, one repeated; at most three per rule.
        var text = Lines(6 * WindowSize);
        var tokens = Enumerable.Range(0, 10).Select(i => "ghp_" + Convert.ToHexStringLower(BitConverter.GetBytes(i * 7919 + 17)) + "Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs").ToList();
        for (int i = 0; i < tokens.Count; i++)
        {
            int at = (i + 1) * (text.Length / 12);
            text.Remove(at, tokens[i].Length + 2).Insert(at, $" {tokens[(i == 9 ? 0 : i)]} ");
        }
        byte[] content = Encoding.ASCII.GetBytes(text.ToString());
        static string Shape(Finding f) => $"{f.RuleId} {f.Location.Line}:{f.Location.Column} {f.Fingerprint} {f.Secret}";

        foreach (var limits in new[] { new ScanOptions(), new ScanOptions { MaxFindingsPerRule = 3 } })
        {
            var whole = Scan(limits, "a.log", content);
            var streamed = Scan(Streaming with { MaxFindingsPerRule = limits.MaxFindingsPerRule }, "a.log", content);

            Assert.Equal(whole.Findings.Select(Shape), streamed.Findings.Select(Shape));
            Assert.Equal(Math.Min(10, limits.MaxFindingsPerRule), streamed.Findings.Count);
            Assert.Equal(whole.Notes.Where(n => n.Contains("not reported", StringComparison.Ordinal)),
                streamed.Notes.Where(n => n.Contains("not reported", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Binary_content_over_the_threshold_is_still_held_and_expanded_as_an_archive()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllText(Path.Join(dir, "inner.txt"), Lines(200_000) + "\nkey " + Token + "\n");
        // Random bytes beside it keep the zip (binary) over the 4 KiB threshold.
        File.WriteAllBytes(Path.Join(dir, "noise.bin"), RandomNumberGenerator.GetBytes(20_000));
        CoreTestKit.Run(dir, "zip", "-q", "bundle.zip", "inner.txt", "noise.bin");
        byte[] zip = File.ReadAllBytes(Path.Join(dir, "bundle.zip"));
        Assert.True(zip.Length > Streaming.StreamAbove);

        var result = Scan(Streaming, "bundle.zip", zip);

        Assert.Equal("bundle.zip!inner.txt", Assert.Single(result.Findings).Location.Path);
        Assert.DoesNotContain(result.Notes, n => n.Contains("matched in windows", StringComparison.Ordinal));
    }

    [Fact]
    public void Binary_content_over_the_in_memory_limit_is_skipped_with_one_warning()
    {
        byte[] content = [0, .. Encoding.ASCII.GetBytes(Lines(3 * WindowSize) + Token)];

        var result = Scan(Streaming with { MaxInMemorySize = 8192 }, "blob.bin", content);

        Assert.Empty(result.Findings);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("binary and larger than", warning.Message, StringComparison.Ordinal);
    }

    private static string Digest(string secret) => FingerprintKey.Ephemeral.Digest(secret);

    /// <summary>A stream that knows neither its length nor its position, as stdin or a pipe.</summary>
    private sealed class UnseekableStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 70_000));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
