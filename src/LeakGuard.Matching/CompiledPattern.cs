using System.Text;
using System.Text.RegularExpressions;

namespace LeakGuard.Matching;

/// <summary>A validated pattern with what both engines need: its width bounds, its keywords as
/// lower-case bytes, and the .NET regex that confirms candidates (built on first use, so that
/// start-up does not pay for rules that never see a keyword).</summary>
public sealed class CompiledPattern
{
    /// <summary>ASCII-only \w \d \s \b, exactly as Hyperscan reads bytes.</summary>
    internal const RegexOptions ConfirmOptions = RegexOptions.ECMAScript | RegexOptions.Multiline;

    /// <summary>How long .NET may take to confirm a pattern in one window. A linear pattern needs
    /// microseconds there; this stops one that backtracks exponentially (which
    /// <see cref="BacktrackingBound"/> finds in a rule before it is used), which would otherwise
    /// hold its scanning thread for good.</summary>
    public static readonly TimeSpan DefaultConfirmationTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Search steps per position within which a pattern runs without the time limit.
    /// .NET reads the clock at every position it tries when a regex has a limit, which made the
    /// managed engine 40 % slower with the built-in rules; a pattern whose worst case
    /// <see cref="BacktrackingBound"/> bounds this low is polynomial with small bounds and cannot
    /// run away at one position. Above it are the exponential patterns and the few built-in rules
    /// whose bounds multiply (<c>generic.username-password-pair</c>: 8 KB of crafted lines took
    /// seconds).</summary>
    internal const double StepsWithoutTimeLimit = 1e7;

    private readonly ConfirmingRegex _regex;

    public CompiledPattern(int index, PatternDefinition definition, TimeSpan? confirmationTimeout = null)
    {
        Index = index;
        Definition = definition;
        ConfirmationTimeout = confirmationTimeout ?? DefaultConfirmationTimeout;
        // A pattern known to compile (a built-in rule, whose analysis `rules check` and the tests
        // run) is analysed on first use: at start-up its 1,000 analyses were a sixth of a
        // one-file scan. Any other is analysed now, so a bad one fails at load.
        _shape = new Lazy<PatternShape>(() => Analyze(definition), LazyThreadSafetyMode.PublicationOnly);
        if (!definition.KnownToCompile)
        {
            _ = _shape.Value;
        }
        if (definition.Keywords.Count == 0)
        {
            throw new PatternSyntaxException("a pattern needs at least one keyword");
        }
        var keywords = new byte[definition.Keywords.Count][];
        for (int k = 0; k < keywords.Length; k++)
        {
            string keyword = definition.Keywords[k];
            if (keyword.Length < 3 || !Ascii.IsValid(keyword))
            {
                throw new PatternSyntaxException($"keyword '{keyword}' must be ASCII and at least 3 characters");
            }
            keywords[k] = Encoding.ASCII.GetBytes(keyword.ToLowerInvariant());
        }
        KeywordBytes = keywords;
        _keywordSearch = new Lazy<System.Buffers.SearchValues<string>>(
            () => System.Buffers.SearchValues.Create([.. definition.Keywords], StringComparison.OrdinalIgnoreCase));
        // Fail now, not on first use, if .NET rejects the pattern (parsing only, yet with the
        // built-in rules a fifth of start-up, so not for patterns known to compile).
        if (!definition.KnownToCompile)
        {
            _ = new Regex(definition.Pattern, ConfirmOptions);
        }
        _regex = new ConfirmingRegex(definition.Pattern, ConfirmationTimeout, TimeLimit);
    }

    /// <summary>The pattern's width bounds and captures; every keyword fits in its widest match.</summary>
    private static PatternShape Analyze(PatternDefinition definition)
    {
        var shape = PatternSyntax.Analyze(definition.Pattern);
        if (definition.Keywords.FirstOrDefault(k => k.Length > shape.MaxWidth) is { } keyword)
        {
            throw new PatternSyntaxException($"keyword '{keyword}' is longer than any match of the pattern");
        }
        return shape;
    }

    /// <summary>The confirmation timeout, unless the pattern's worst case is bounded below
    /// <see cref="StepsWithoutTimeLimit"/>.</summary>
    private TimeSpan TimeLimit() =>
        ConfirmationTimeout != Regex.InfiniteMatchTimeout && BacktrackingBound.StepsPerPosition(Definition.Pattern) is not <= StepsWithoutTimeLimit
            ? ConfirmationTimeout
            : Regex.InfiniteMatchTimeout;

    private CompiledPattern(int index, CompiledPattern pattern)
    {
        Index = index;
        Definition = pattern.Definition;
        _shape = pattern._shape;
        KeywordBytes = pattern.KeywordBytes;
        _keywordSearch = pattern._keywordSearch;
        _regex = pattern._regex;
    }

    /// <summary>The same pattern at another place in a list (an engine over some of the patterns),
    /// sharing its confirming regex.</summary>
    internal CompiledPattern At(int index) => new(index, this);

    public int Index { get; }

    public PatternDefinition Definition { get; }

    private readonly Lazy<PatternShape> _shape;

    public PatternShape Shape => _shape.Value;

    public TimeSpan ConfirmationTimeout { get; }

    public int MaxWidth => Shape.MaxWidth;

    internal byte[][] KeywordBytes { get; }

    /// <summary>The keywords as one caseless multi-string search (a superset of the ASCII folding
    /// the engines use: each hit is checked against <see cref="KeywordBytes"/>).</summary>
    internal System.Buffers.SearchValues<string> KeywordSearch => _keywordSearch.Value;

    private readonly Lazy<System.Buffers.SearchValues<string>> _keywordSearch;

    /// <summary>The regex for the next window this pattern confirms (<see cref="ConfirmingRegex"/>).</summary>
    internal Regex Regex => _regex.Next();

    /// <summary>
    /// A pattern's confirming regex, interpreted for its first <see cref="CompiledAfter"/> windows and
    /// compiled after that, as the runtime tiers up methods: compiling one costs ~0.5 ms (its IL
    /// emitted and JIT-compiled) against ~20 µs to build the interpreter, and most patterns confirm a
    /// handful of windows in a scan, while those that confirm many pay the compile once. The
    /// interpreter always runs with the time limit, and only a pattern that gets compiled has its
    /// backtracking bound worked out (~0.2 ms) to run without one (<see cref="TimeLimit"/>): the
    /// same regex either way, so the same matches.
    /// </summary>
    private sealed class ConfirmingRegex
    {
        public const int CompiledAfter = 32;

        private readonly Lazy<Regex> _interpreted;
        private readonly Lazy<Regex> _compiled;
        private int _windows;

        public ConfirmingRegex(string pattern, TimeSpan limit, Func<TimeSpan> compiledLimit)
        {
            _interpreted = new(() => new Regex(pattern, ConfirmOptions, limit), LazyThreadSafetyMode.ExecutionAndPublication);
            _compiled = new(() => new Regex(pattern, ConfirmOptions | RegexOptions.Compiled, compiledLimit()), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public Regex Next() =>
            Volatile.Read(ref _windows) >= CompiledAfter || Interlocked.Increment(ref _windows) > CompiledAfter
                ? _compiled.Value
                : _interpreted.Value;
    }

    /// <summary>Validates and analyses every pattern, on all cores: with the built-in rules this is
    /// a good part of start-up. A bad pattern throws for the first one in list order.</summary>
    public static IReadOnlyList<CompiledPattern> CompileAll(IReadOnlyList<PatternDefinition> definitions, TimeSpan? confirmationTimeout = null)
    {
        var compiled = new CompiledPattern[definitions.Count];
        var errors = new PatternSyntaxException?[definitions.Count];
        // Patterns known to compile are analysed on first use, so setting them up is cheap: on
        // all cores only when some are analysed now (starting the pool's threads cost more).
        var options = new ParallelOptions { MaxDegreeOfParallelism = definitions.All(d => d.KnownToCompile) ? 1 : -1 };
        Parallel.For(0, compiled.Length, options, i =>
        {
            try
            {
                compiled[i] = new CompiledPattern(i, definitions[i], confirmationTimeout);
            }
            catch (PatternSyntaxException e)
            {
                errors[i] = new PatternSyntaxException($"pattern '{definitions[i].Id}': {e.Message}");
            }
            catch (ArgumentException e)
            {
                errors[i] = new PatternSyntaxException($"pattern '{definitions[i].Id}': .NET rejects it: {e.Message}");
            }
        });
        if (Array.Find(errors, e => e is not null) is { } first)
        {
            throw first;
        }
        return compiled;
    }
}
