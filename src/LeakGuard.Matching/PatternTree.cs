namespace LeakGuard.Matching;

/// <summary>A pattern parsed by <see cref="PatternSyntax"/>: what its width bounds and
/// <see cref="BacktrackingBound"/> are computed from. Each node knows its span in the pattern
/// text, so an analysis can quote the part it objects to.</summary>
internal abstract class PatternNode(int start, int end)
{
    public int Start { get; } = start;

    public int End { get; } = end;

    public abstract long MinWidth { get; }

    public abstract long MaxWidth { get; }
}

/// <summary>One character out of a set (a literal, a class, an escape, <c>.</c>); case-insensitive
/// literals carry both cases.</summary>
internal sealed class CharNode(int start, int end, ByteSet set) : PatternNode(start, end)
{
    public ByteSet Set { get; } = set;

    public override long MinWidth => 1;

    public override long MaxWidth => 1;
}

/// <summary><c>^ $ \b \B</c>: they consume nothing.</summary>
internal sealed class AssertionNode(int start, int end) : PatternNode(start, end)
{
    public override long MinWidth => 0;

    public override long MaxWidth => 0;
}

internal sealed class SequenceNode(int start, int end, IReadOnlyList<PatternNode> items) : PatternNode(start, end)
{
    public IReadOnlyList<PatternNode> Items { get; } = items;

    public override long MinWidth { get; } = items.Sum(i => i.MinWidth);

    public override long MaxWidth { get; } = items.Sum(i => i.MaxWidth);
}

internal sealed class AlternationNode(int start, int end, IReadOnlyList<PatternNode> branches) : PatternNode(start, end)
{
    public IReadOnlyList<PatternNode> Branches { get; } = branches;

    public override long MinWidth { get; } = branches.Min(b => b.MinWidth);

    public override long MaxWidth { get; } = branches.Max(b => b.MaxWidth);
}

/// <summary><c>?</c>, <c>{n}</c>, <c>{m,n}</c> and their lazy forms (laziness changes the order
/// of the search, not its worst case).</summary>
internal sealed class RepeatNode(int start, int end, PatternNode body, int min, int max) : PatternNode(start, end)
{
    public PatternNode Body { get; } = body;

    public int Min { get; } = min;

    public int Max { get; } = max;

    public override long MinWidth { get; } = body.MinWidth * min;

    public override long MaxWidth { get; } = body.MaxWidth * max;
}

/// <summary>A set of bytes (input is read as Latin-1, so a byte is a character).</summary>
internal readonly struct ByteSet : IEquatable<ByteSet>
{
    private readonly ulong _a, _b, _c, _d;

    private ByteSet(ulong a, ulong b, ulong c, ulong d) => (_a, _b, _c, _d) = (a, b, c, d);

    public static ByteSet Empty => default;

    public static ByteSet All => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public static ByteSet Of(int c) => Range(c, c);

    public static ByteSet Range(int from, int to)
    {
        var set = Empty;
        for (int c = Math.Max(0, from); c <= Math.Min(255, to); c++)
        {
            set = set.With(c);
        }
        return set;
    }

    // ECMAScript mode: \d \w \s are ASCII only, as Hyperscan reads bytes.
    public static ByteSet Digit => Range('0', '9');

    public static ByteSet Word => Range('a', 'z') | Range('A', 'Z') | Digit | Of('_');

    public static ByteSet Space => Of(' ') | Of('\f') | Of('\n') | Of('\r') | Of('\t') | Of('\v');

    public bool Contains(int c) => c switch
    {
        < 64 => (_a >> c & 1) != 0,
        < 128 => (_b >> (c - 64) & 1) != 0,
        < 192 => (_c >> (c - 128) & 1) != 0,
        _ => (_d >> (c - 192) & 1) != 0,
    };

    public ByteSet With(int c) => c switch
    {
        < 64 => new(_a | 1UL << c, _b, _c, _d),
        < 128 => new(_a, _b | 1UL << (c - 64), _c, _d),
        < 192 => new(_a, _b, _c | 1UL << (c - 128), _d),
        _ => new(_a, _b, _c, _d | 1UL << (c - 192)),
    };

    /// <summary>The set with the other case of every letter in it (an over-approximation is
    /// safe for every use: a larger set can only make an analysis more careful).</summary>
    public ByteSet CaseInsensitive()
    {
        var set = this;
        for (int c = 0; c < 256; c++)
        {
            if (Contains(c))
            {
                char lower = char.ToLowerInvariant((char)c), upper = char.ToUpperInvariant((char)c);
                set = lower < 256 ? set.With(lower) : set;
                set = upper < 256 ? set.With(upper) : set;
            }
        }
        return set;
    }

    public static ByteSet operator |(ByteSet x, ByteSet y) => new(x._a | y._a, x._b | y._b, x._c | y._c, x._d | y._d);

    public static ByteSet operator ~(ByteSet x) => new(~x._a, ~x._b, ~x._c, ~x._d);

    public bool Equals(ByteSet other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is ByteSet other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);
}
