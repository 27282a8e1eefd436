namespace LeakGuard.Matching;

/// <summary>What LeakGuard needs to know about a pattern before it can be matched exactly:
/// its structural width bounds and number of capturing groups.</summary>
public readonly record struct PatternShape(int MinWidth, int MaxWidth, int CaptureGroups);

/// <summary>Thrown when a pattern leaves the dialect both engines agree on.</summary>
public sealed class PatternSyntaxException(string message, int position = -1)
    : Exception(position >= 0 ? $"{message} at position {position}" : message)
{
    public int Position { get; } = position;
}

/// <summary>
/// Checks a pattern against the dialect shared by Hyperscan and .NET ECMAScript regexes and
/// computes its width bounds. The dialect forbids unbounded quantifiers so that every pattern
/// has a finite maximum width: that width is what lets a match be confirmed exactly inside a
/// bounded window (see docs/rules.md, "How matching works"). It also forbids patterns that can match the empty string
/// (structural minimum width 0).
/// </summary>
public static class PatternSyntax
{
    public const int MaxAllowedWidth = 4096;

    public static PatternShape Analyze(string pattern)
    {
        var (tree, captures) = Parse(pattern);
        if (tree.MaxWidth > MaxAllowedWidth)
        {
            throw new PatternSyntaxException($"maximum match width {tree.MaxWidth} exceeds {MaxAllowedWidth}");
        }
        if (tree.MinWidth == 0)
        {
            // A pattern that can match the empty string matches at every offset where its
            // assertions hold: Hyperscan rejects it, and a finding of zero bytes is no secret.
            throw new PatternSyntaxException("pattern can match the empty string");
        }
        if (captures > 1)
        {
            throw new PatternSyntaxException("more than one capturing group; use (?: ) for grouping");
        }
        return new PatternShape((int)tree.MinWidth, (int)tree.MaxWidth, captures);
    }

    /// <summary>The pattern's tree and its number of capturing groups; throws where the pattern
    /// leaves the dialect (width, emptiness and capture limits are <see cref="Analyze"/>'s).</summary>
    internal static (PatternNode Tree, int Captures) Parse(string pattern)
    {
        var parser = new Parser(pattern);
        return (parser.ParseAll(), parser.Captures);
    }

    private ref struct Parser(string text)
    {
        private readonly string _s = text;
        private int _i;
        private bool _ignoreCase;

        public int Captures { get; private set; }

        public PatternNode ParseAll()
        {
            if (_s.StartsWith("(?i)", StringComparison.Ordinal))
            {
                _i = 4;
                _ignoreCase = true;
            }
            var tree = ParseAlternation();
            if (_i < _s.Length)
            {
                throw new PatternSyntaxException("unbalanced ')'", _i);
            }
            return tree;
        }

        private PatternNode ParseAlternation()
        {
            int start = _i;
            var first = ParseSequence();
            if (_i >= _s.Length || _s[_i] != '|')
            {
                return first;
            }
            var branches = new List<PatternNode> { first };
            while (_i < _s.Length && _s[_i] == '|')
            {
                _i++;
                branches.Add(ParseSequence());
            }
            return new AlternationNode(start, _i, branches);
        }

        private PatternNode ParseSequence()
        {
            int start = _i;
            var items = new List<PatternNode>();
            long max = 0;
            while (_i < _s.Length && _s[_i] != '|' && _s[_i] != ')')
            {
                int atomStart = _i;
                var atom = ParseAtom();
                var (qmin, qmax, quantified) = ParseQuantifier();
                var item = quantified ? new RepeatNode(atomStart, _i, atom, qmin, qmax) : atom;
                max += item.MaxWidth;
                if (max > int.MaxValue / 4)
                {
                    throw new PatternSyntaxException("pattern is too wide", _i);
                }
                items.Add(item);
            }
            return items.Count == 1 ? items[0] : new SequenceNode(start, _i, items);
        }

        private (int Min, int Max, bool Quantified) ParseQuantifier()
        {
            if (_i >= _s.Length)
            {
                return (1, 1, false);
            }
            int qmin, qmax;
            switch (_s[_i])
            {
                case '*':
                case '+':
                    throw new PatternSyntaxException($"unbounded quantifier '{_s[_i]}'; write {{m,n}}", _i);
                case '?':
                    _i++;
                    (qmin, qmax) = (0, 1);
                    break;
                case '{':
                    (qmin, qmax) = ParseBraces();
                    break;
                default:
                    return (1, 1, false);
            }
            if (_i < _s.Length && _s[_i] == '?')
            {
                _i++; // lazy
            }
            if (_i < _s.Length && (_s[_i] == '+' || _s[_i] == '*' || _s[_i] == '?' || _s[_i] == '{'))
            {
                throw new PatternSyntaxException("possessive or stacked quantifier", _i);
            }
            return (qmin, qmax, true);
        }

        private (int Min, int Max) ParseBraces()
        {
            int start = _i;
            int close = _s.IndexOf('}', _i);
            if (close < 0)
            {
                throw new PatternSyntaxException("unterminated '{'", start);
            }
            var body = _s.AsSpan(_i + 1, close - _i - 1);
            _i = close + 1;
            int comma = body.IndexOf(',');
            if (comma < 0)
            {
                int n = ParseCount(body, start);
                return (n, n);
            }
            if (comma == body.Length - 1)
            {
                throw new PatternSyntaxException("unbounded quantifier '{m,}'; write {m,n}", start);
            }
            int lo = comma == 0 ? 0 : ParseCount(body[..comma], start);
            int hi = ParseCount(body[(comma + 1)..], start);
            if (hi < lo)
            {
                throw new PatternSyntaxException("quantifier {m,n} with n < m", start);
            }
            return (lo, hi);
        }

        private static int ParseCount(ReadOnlySpan<char> digits, int position)
        {
            if (digits.IsEmpty || !int.TryParse(digits, out int n) || n < 0 || n > 100_000)
            {
                throw new PatternSyntaxException("malformed quantifier", position);
            }
            return n;
        }

        private PatternNode ParseAtom()
        {
            int start = _i;
            char c = _s[_i];
            switch (c)
            {
                case '(':
                    return ParseGroup();
                case '[':
                    return new CharNode(start, _i, Cased(ParseClass()));
                case '\\':
                    var escape = ParseEscape(inClass: false);
                    return escape is { } set ? new CharNode(start, _i, Cased(set)) : new AssertionNode(start, _i);
                case '^':
                case '$':
                    _i++;
                    return new AssertionNode(start, _i);
                case '*':
                case '+':
                case '?':
                case '{':
                    throw new PatternSyntaxException($"quantifier '{c}' with nothing to repeat", _i);
                default:
                    if (c > 0x7F)
                    {
                        throw new PatternSyntaxException("non-ASCII character; write \\xHH", _i);
                    }
                    _i++;
                    // ECMAScript '.': any character but a line feed.
                    return new CharNode(start, _i, Cased(c == '.' ? ~ByteSet.Of('\n') : ByteSet.Of(c)));
            }
        }

        private readonly ByteSet Cased(ByteSet set) => _ignoreCase ? set.CaseInsensitive() : set;

        private PatternNode ParseGroup()
        {
            int start = _i;
            bool outerIgnoreCase = _ignoreCase;
            _i++;
            if (_i < _s.Length && _s[_i] == '?')
            {
                if (string.CompareOrdinal(_s, _i, "?:", 0, 2) == 0)
                {
                    _i += 2;
                }
                else if (string.CompareOrdinal(_s, _i, "?i:", 0, 3) == 0)
                {
                    _i += 3;
                    _ignoreCase = true;
                }
                else
                {
                    throw new PatternSyntaxException("unsupported group; only ( ), (?: ), (?i: ) and a leading (?i) are allowed", start);
                }
            }
            else
            {
                Captures++;
            }
            var inner = ParseAlternation();
            if (_i >= _s.Length || _s[_i] != ')')
            {
                throw new PatternSyntaxException("unterminated group", start);
            }
            _i++;
            _ignoreCase = outerIgnoreCase;
            return inner;
        }

        private ByteSet ParseClass()
        {
            int start = _i;
            _i++;
            bool negated = false;
            if (_i < _s.Length && _s[_i] == '^')
            {
                _i++;
                negated = true;
            }
            var set = ByteSet.Empty;
            bool first = true;
            int? previous = null; // the last single character, which a '-' may start a range from
            while (_i < _s.Length && (_s[_i] != ']' || first))
            {
                first = false;
                if (_s[_i] == '-' && previous is { } from && _i + 1 < _s.Length && _s[_i + 1] != ']')
                {
                    _i++;
                    var to = ClassItem(out int? single);
                    set |= single is { } last ? ByteSet.Range(from, last) : to | ByteSet.Of('-');
                    previous = null;
                    continue;
                }
                set |= ClassItem(out previous);
            }
            if (_i >= _s.Length)
            {
                throw new PatternSyntaxException("unterminated character class", start);
            }
            _i++;
            return negated ? ~set : set;
        }

        /// <summary>One item of a class: a character (<paramref name="single"/>) or a class escape.</summary>
        private ByteSet ClassItem(out int? single)
        {
            char c = _s[_i];
            if (c == '\\')
            {
                int escapeStart = _i;
                var set = ParseEscape(inClass: true)!.Value;
                single = IsSingle(escapeStart) ? FirstOf(set) : null;
                return set;
            }
            if (c == '[')
            {
                throw new PatternSyntaxException("'[' inside a class; escape it", _i);
            }
            if (c > 0x7F)
            {
                throw new PatternSyntaxException("non-ASCII character; write \\xHH", _i);
            }
            _i++;
            single = c;
            return ByteSet.Of(c);
        }

        /// <summary>Whether the escape at <paramref name="at"/> stands for one character (not \d \w \s…).</summary>
        private readonly bool IsSingle(int at) => _s[at + 1] is not ('d' or 'w' or 's' or 'D' or 'W' or 'S');

        private static int FirstOf(ByteSet set)
        {
            for (int c = 0; c < 256; c++)
            {
                if (set.Contains(c))
                {
                    return c;
                }
            }
            return 0;
        }

        /// <summary>The characters an escape matches, or null for an assertion (\b, \B).</summary>
        private ByteSet? ParseEscape(bool inClass)
        {
            int start = _i;
            if (_i + 1 >= _s.Length)
            {
                throw new PatternSyntaxException("trailing backslash", start);
            }
            char e = _s[_i + 1];
            _i += 2;
            switch (e)
            {
                case 'd':
                    return ByteSet.Digit;
                case 'w':
                    return ByteSet.Word;
                case 's':
                    return ByteSet.Space;
                case 'D':
                    return ~ByteSet.Digit;
                case 'W':
                    return ~ByteSet.Word;
                case 'S':
                    return ~ByteSet.Space;
                case 't':
                    return ByteSet.Of('\t');
                case 'n':
                    return ByteSet.Of('\n');
                case 'r':
                    return ByteSet.Of('\r');
                case 'f':
                    return ByteSet.Of('\f');
                case 'v':
                    return ByteSet.Of('\v');
                case 'b' or 'B' when !inClass:
                    return null;
                case 'x':
                    if (_i + 2 > _s.Length || !char.IsAsciiHexDigit(_s[_i]) || !char.IsAsciiHexDigit(_s[_i + 1]))
                    {
                        throw new PatternSyntaxException("\\x needs two hex digits", start);
                    }
                    int value = Convert.ToInt32(_s.Substring(_i, 2), 16);
                    _i += 2;
                    return ByteSet.Of(value);
                default:
                    if (e < 0x80 && char.IsAsciiLetterOrDigit(e) || e == '_')
                    {
                        throw new PatternSyntaxException($"unsupported escape '\\{e}'", start);
                    }
                    if (e > 0x7F || char.IsWhiteSpace(e))
                    {
                        throw new PatternSyntaxException("escape of a non-punctuation character", start);
                    }
                    return ByteSet.Of(e);
            }
        }
    }
}
