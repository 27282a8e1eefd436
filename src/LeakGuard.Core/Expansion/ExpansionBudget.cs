using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion;

/// <summary>
/// What one top-level input may still expand to, and how that is shared between the containers
/// (archives, source maps, PDBs) nested in it, so that a bomb hides nothing after it.
/// The input as a whole may expand to <see cref="ScanOptions.MaxExpandedBytes"/> and
/// <see cref="ScanOptions.MaxArchiveMembers"/>. A container that is itself a member gets a share
/// of its own when it is opened: at most <see cref="ScanOptions.MaxCompressionRatio"/> times its
/// own size (at least <see cref="ScanOptions.RatioFloor"/>) in bytes and one member per
/// <see cref="BytesPerMember"/> of its size (at least <see cref="MemberFloor"/>), for it and
/// everything inside it together, and never the last eighth of what its parent has left: that is
/// kept for the parent's later members. So a nested bomb is cut off at a cost of the order of its
/// own size, and the archive around it goes on with budget to spare. Expansion is depth-first,
/// so the containers open at any time form a stack; spending is charged to each of them.
/// What is cut off is reported by <see cref="Cut"/>: one bomb finding per input, and one warning
/// per member of the input's own level (inside a nested container, one for the whole container).
/// </summary>
public sealed class ExpansionBudget
{
    /// <summary>A nested container may always hold this many members, however small it is.</summary>
    public const int MemberFloor = 1_000;

    /// <summary>Beyond <see cref="MemberFloor"/>, a nested container may hold one member per this
    /// many of its own bytes (a .tgz of empty files needs about ten per member).</summary>
    public const int BytesPerMember = 8;

    /// <summary>A nested container may not take the part of its parent's share kept back for the
    /// parent's later members: 1/<see cref="ReserveDivisor"/> of it.</summary>
    public const int ReserveDivisor = 8;

    private readonly ScanOptions _options;
    private Share _current;
    private bool _bombReported;

    public ExpansionBudget(ScanOptions options)
    {
        _options = options;
        _current = new Share(null, null, options.MaxExpandedBytes, options.MaxArchiveMembers);
    }

    /// <summary>Bytes the container being expanded may still produce.</summary>
    public long RemainingBytes => _current.RemainingBytes;

    /// <summary>Why the container being expanded cannot take a member of this size.</summary>
    public string TooManyBytes => _current.Container is { } container
        ? $"'{container.MemberPath}' expands beyond its share of the budget ({Limits(_current)})"
        : $"expanded content exceeds {_options.MaxExpandedBytes:N0} bytes for one input";

    /// <summary>Why the container being expanded cannot take another member.</summary>
    public string TooManyMembers => _current.Container is { } container
        ? $"'{container.MemberPath}' holds more than its share of the budget ({Limits(_current)})"
        : $"more than {_options.MaxArchiveMembers} archive members";

    /// <summary>A nested container's share, in words (built only for messages).</summary>
    private string Limits(Share share) =>
        $"at most {share.Bytes:N0} bytes and {share.Members:N0} members: {_options.MaxCompressionRatio}x its own " +
        $"{share.Container!.Content.Length:N0} bytes and one member per {BytesPerMember} of them, within what the input has left";

    /// <summary>Takes one member from the container being expanded and every container around it;
    /// false (taking nothing) when one of them has none left.</summary>
    public bool TakeMember()
    {
        for (var s = _current; s is not null; s = s.Parent)
        {
            if (s.RemainingMembers <= 0)
            {
                return false;
            }
        }
        for (var s = _current; s is not null; s = s.Parent)
        {
            s.RemainingMembers--;
        }
        return true;
    }

    public void Spend(long bytes)
    {
        for (var s = _current; s is not null; s = s.Parent)
        {
            s.RemainingBytes -= bytes;
        }
    }

    /// <summary>Opens <paramref name="container"/> for expansion: its members are charged to its
    /// own share until the returned scope is disposed. The input itself expands within the
    /// input's budget. Null when nothing is left to give it: it is not expanded, and that is
    /// reported here.</summary>
    public IDisposable? Open(Blob container, IExpansionSink sink)
    {
        if (container.ArchiveDepth == 0)
        {
            return Scope.InputItself;
        }
        var parent = _current;
        long size = container.Content.Length;
        long bytes = Math.Min(parent.RemainingBytes - parent.ReserveBytes,
            Math.Max(_options.RatioFloor, size * _options.MaxCompressionRatio));
        int members = (int)Math.Min(parent.RemainingMembers - parent.ReserveMembers,
            Math.Max(MemberFloor, size / BytesPerMember));
        if (bytes <= 0 || members <= 0)
        {
            string reason = "the archive around it keeps what is left of its expansion budget for its own members";
            Cut(sink, container, container.Path, reason, $"not expanded: {reason}");
            return null;
        }
        _current = new Share(parent, container, bytes, members);
        return new Scope(this, _current, sink);
    }

    /// <summary>
    /// Reports something cut off in the container being expanded (<paramref name="archive"/>): a
    /// member skipped (over budget, or inflating past the bomb ratio), a container not expanded
    /// or stopped. The input gets one bomb finding, for the first. At the input's own level
    /// <paramref name="warning"/> (when there is one) is given at once for <paramref name="path"/>;
    /// inside a nested container, cuts are counted and its outermost nested container gets one
    /// warning when it closes, since the container is what the user can act on.
    /// </summary>
    public void Cut(IExpansionSink sink, Blob archive, string path, string reason, string? warning)
    {
        var top = OutermostNested();
        if (!_bombReported)
        {
            _bombReported = true;
            sink.Report(top is null
                ? BombFinding(archive, reason)
                : BombFinding(top.Container!, $"'{top.Container!.MemberPath}' goes beyond its share of the input's budget ({Limits(top)})"));
        }
        if (top is null)
        {
            if (warning is not null)
            {
                sink.Warn(path, warning);
            }
            return;
        }
        top.Cuts++;
        top.FirstCut ??= (path, reason);
    }

    /// <summary>The open container that is a member of the input's own level, or null when the
    /// container being expanded is the input itself.</summary>
    private Share? OutermostNested()
    {
        var s = _current;
        if (s.Parent is null)
        {
            return null;
        }
        while (s.Parent!.Parent is not null)
        {
            s = s.Parent;
        }
        return s;
    }

    private static Finding BombFinding(Blob at, string reason)
    {
        var rule = AnalyzerRules.ArchiveBomb;
        return new Finding
        {
            RuleId = rule.Id,
            Kind = rule.Kind,
            Severity = rule.Severity,
            Title = rule.Name,
            Location = new Location { Path = at.Path, Package = at.Origin?.Package, Version = at.Origin?.Version, Commit = at.Origin?.Commit },
            Fingerprint = SecretText.Fingerprint(rule.Id, at.FingerprintPath, reason),
            Details = new Dictionary<string, object?> { ["reason"] = reason },
        };
    }

    private sealed class Share(Share? parent, Blob? container, long bytes, int members)
    {
        public Share? Parent { get; } = parent;
        public Blob? Container { get; } = container;
        public long Bytes { get; } = bytes;
        public int Members { get; } = members;
        public long RemainingBytes { get; set; } = bytes;
        public int RemainingMembers { get; set; } = members;
        public long ReserveBytes => Bytes / ReserveDivisor;
        public int ReserveMembers => Members / ReserveDivisor;

        /// <summary>What was cut off inside this container, when it is a member of the input's own level.</summary>
        public int Cuts { get; set; }
        public (string Path, string Reason)? FirstCut { get; set; }
    }

    private sealed class Scope(ExpansionBudget? budget, Share? opened, IExpansionSink? sink) : IDisposable
    {
        /// <summary>The input expands within the input's budget: nothing to open or close.</summary>
        public static readonly Scope InputItself = new(null, null, null);

        public void Dispose()
        {
            if (budget is null || opened is null || sink is null || budget._current != opened)
            {
                return;
            }
            budget._current = opened.Parent!;
            if (opened is { Cuts: > 0, FirstCut: { } cut })
            {
                string prefix = opened.Container!.Path + "!";
                string what = !cut.Path.StartsWith(prefix, StringComparison.Ordinal)
                    ? cut.Reason
                    : $"{opened.Cuts:N0} {(opened.Cuts == 1 ? "member or archive" : "members or archives")} inside it cut off (the first: {cut.Path[prefix.Length..]}: {cut.Reason})";
                sink.Warn(opened.Container.Path, $"not fully expanded: {what}; " +
                    "the archive around it is still scanned");
            }
        }
    }
}
