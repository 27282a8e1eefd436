using System.Globalization;
using System.Text;
using LeakGuard.Processes;
using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// The history walk done by git itself: <c>git log --raw -c</c> lists, commit by commit (parents
/// first, oldest first where the graph does not decide), every path whose blob differs from the
/// same path in each parent — exactly the entries <see cref="HistoryWalk"/> compares trees to find,
/// about eight times faster (0.4 s against 3.7 s for 20,000 commits), because git compares trees
/// natively instead of crossing into libgit2 for every entry.
/// <para>It gives up, and the caller walks with libgit2, on anything the libgit2 walk has a warning
/// for: git missing or failing (a corrupt or missing object, a tree nested too deep for it), a commit
/// libgit2 refuses, a path longer than <see cref="TreePath.MaxLength"/>, output that is not what git
/// writes. A commit libgit2 would refuse is known by what git writes of it (an author or committer
/// line it cannot split; checking each commit with libgit2 instead cost as much as git's whole
/// walk). Findings name commits as git writes them — author, e-mail address, date and subject —
/// which is what libgit2 reads, but for a message with CR LF line ends, whose subject libgit2
/// keeps the line ends in.</para>
/// </summary>
internal static class GitLogWalk
{
    /// <summary>The longest item of output read: a raw line of an octopus merge of hundreds of
    /// parents is far shorter. Longer is not git's output; the libgit2 walk takes over.</summary>
    private const int MaxToken = 1 << 20;

    /// <summary>The address space git may use for the walk: enough for about 250,000 commits (git
    /// holds them all to list them parents first; 200,000 small ones took it 368 MB). A longer
    /// history is walked by libgit2 instead: slower, the same result.</summary>
    private const int MaxMemoryKiB = 512 * 1024;

    /// <summary>Each commit as NUL-separated fields: id, author name and e-mail address, committer
    /// name and e-mail address, author date (strict ISO 8601) and subject (the first paragraph on one line).</summary>
    private const string Format = "--format=commit %H%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%s";

    /// <summary>Records every blob introduction through <paramref name="record"/>, in walk order; false
    /// when the walk must be done by libgit2 instead (what was recorded so far is then to be discarded).</summary>
    public static bool TryRun(Repository repository, IReadOnlyList<ObjectId> tips, IReadOnlyList<ObjectId> exclude,
        Action<ObjectId, string, CommitSummary> record)
    {
        if (OperatingSystem.IsWindows())
        {
            // No shell to bound git's memory with (below): the libgit2 walk is bounded by itself.
            return false;
        }
        // git builds a commit's whole list of changed paths before writing any of it, so a hostile
        // tree of long names nested thousands deep (paths of up to 800 KB each) takes it 3 GB and
        // 18 s; bounded, it gives up within 2 s and the libgit2 walk, which shortens such
        // paths as it goes, takes over. Pack windows are kept small to leave that room to the walk.
        // Replacement objects are git's alone: libgit2, and so the rest of the scan, reads the
        // objects themselves. Renames are blobs like any other here, not pairs.
        var command = new ProcessCommand("sh", "-c", $"ulimit -v {MaxMemoryKiB} && exec git \"$@\"", "sh",
            "-c", "safe.directory=*", "-c", "i18n.logOutputEncoding=UTF-8", "-c", "core.packedGitWindowSize=32m",
            "-c", "core.packedGitLimit=128m", "--no-replace-objects", "--git-dir", repository.Info.Path,
            "log", "--stdin", Format, "-z", "--raw", "-r", "-c", "--root",
            "--no-renames", "--no-abbrev", "--no-color", "--date-order", "--reverse")
        {
            OutputLimit = 4096,
        };
        RunningProcess git;
        try
        {
            git = ProcessRunner.StartPiped(command);
        }
        catch (ProcessStartException)
        {
            return false;
        }
        using (git)
        {
            try
            {
                using (var input = new StreamWriter(git.StandardInput, new UTF8Encoding(false)))
                {
                    input.NewLine = "\n";
                    foreach (ObjectId tip in tips)
                    {
                        input.WriteLine(tip.Sha);
                    }
                    foreach (ObjectId excluded in exclude)
                    {
                        input.WriteLine("^" + excluded.Sha);
                    }
                }
                bool complete = Read(new BufferedStream(git.StandardOutput, 256 * 1024), record);
                return complete && git.WaitForExit(TimeSpan.FromMinutes(1)) && git.ExitCode == 0;
            }
            catch (IOException)
            {
                // git stopped reading or writing (it crashed): the libgit2 walk says why.
                return false;
            }
        }
    }

    private static bool Read(Stream output, Action<ObjectId, string, CommitSummary> record)
    {
        var token = new byte[4096];
        CommitSummary? commit = null;
        int length;
        while ((length = NextToken(output, ref token)) != EndOfOutput)
        {
            if (length == NotGit)
            {
                return false;
            }
            var text = token.AsSpan(0, length);
            if (text.IsEmpty)
            {
                continue;
            }
            if (text.StartsWith("commit "u8))
            {
                if ((commit = Commit(output, ref token, text["commit "u8.Length..])) is null)
                {
                    return false;
                }
                continue;
            }
            if (commit is null || !TryRawEntry(text, out ObjectId? blob))
            {
                return false;
            }
            int pathLength = NextToken(output, ref token);
            if (pathLength <= 0)
            {
                return false;
            }
            if (blob is null)
            {
                continue;
            }
            string path = Encoding.UTF8.GetString(token, 0, pathLength);
            if (path.Length > TreePath.MaxLength)
            {
                return false;
            }
            record(blob!, path, commit);
        }
        return true;
    }

    /// <summary>A commit's id (<paramref name="hex"/>), then the fields of <see cref="Format"/> as git
    /// writes them; null when they are not all there, or when git could not split the author's or
    /// committer's line into a name and an address: such a commit (<c>author nobody</c>, which
    /// <c>git hash-object --literally</c> writes) is one libgit2 refuses, which the libgit2 walk reports.</summary>
    private static CommitSummary? Commit(Stream output, ref byte[] token, ReadOnlySpan<byte> hex)
    {
        if (hex.Length != 40 || !ObjectId.TryParse(Encoding.ASCII.GetString(hex), out _))
        {
            return null;
        }
        string id = Encoding.ASCII.GetString(hex);
        var fields = new string[6];
        for (int i = 0; i < fields.Length; i++)
        {
            int length = NextToken(output, ref token);
            if (length < 0)
            {
                return null;
            }
            fields[i] = Encoding.UTF8.GetString(token, 0, length);
        }
        if ((fields[0].Length == 0 && fields[1].Length == 0) || (fields[2].Length == 0 && fields[3].Length == 0))
        {
            return null;
        }
        DateTimeOffset? date = DateTimeOffset.TryParse(fields[4], CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when : null;
        return CommitSummary.Bounded(id, fields[0], fields[1], date, fields[5]);
    }

    /// <summary>
    /// One raw entry, <c>:old-mode new-mode old-id new-id status</c>, or for a merge one colon, one
    /// mode and one id per parent before the result's: the result's id when it is a blob (a file or
    /// a symbolic link, not a deletion, a submodule link or a tree) that no parent had at this path,
    /// else null. False when the entry is not in that shape.
    /// </summary>
    private static bool TryRawEntry(ReadOnlySpan<byte> text, out ObjectId? blob)
    {
        blob = null;
        if (text[0] == '\n')
        {
            text = text[1..];
        }
        int parents = 0;
        while (parents < text.Length && text[parents] == ':')
        {
            parents++;
        }
        if (parents == 0)
        {
            return false;
        }
        string[] fields = Encoding.ASCII.GetString(text[parents..]).Split(' ');
        if (fields.Length != 2 * parents + 3)
        {
            return false;
        }
        string mode = fields[parents], sha = fields[2 * parents + 1];
        if (mode.Length != 6 || !ObjectId.TryParse(sha, out var id))
        {
            return false;
        }
        // The file type is the mode's top bits: 10xxxx a file, 12xxxx a symbolic link. Content a
        // parent had at this path already (only the mode changed) is not introduced here.
        bool isBlob = mode.StartsWith("10", StringComparison.Ordinal) || mode.StartsWith("12", StringComparison.Ordinal);
        if (isBlob && !fields.AsSpan(parents + 1, parents).Contains(sha))
        {
            blob = id;
        }
        return true;
    }

    private const int EndOfOutput = -1;
    private const int NotGit = -2;

    /// <summary>The next NUL-terminated item of output in <paramref name="buffer"/> (grown as
    /// needed, up to <see cref="MaxToken"/>): its length; <see cref="EndOfOutput"/>; or
    /// <see cref="NotGit"/> for an item longer than the limit or cut off by the end.</summary>
    private static int NextToken(Stream output, ref byte[] buffer)
    {
        int length = 0;
        while (true)
        {
            int b = output.ReadByte();
            if (b < 0)
            {
                return length == 0 ? EndOfOutput : NotGit;
            }
            if (b == 0)
            {
                return length;
            }
            if (length == buffer.Length)
            {
                if (length >= MaxToken)
                {
                    return NotGit;
                }
                Array.Resize(ref buffer, length * 2);
            }
            buffer[length++] = (byte)b;
        }
    }
}
