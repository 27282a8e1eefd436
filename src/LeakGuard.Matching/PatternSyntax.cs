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
/// bounded window (see README). It also forbids patterns that can match the empty string
/// (structural minimum width 0).
/// </summary>
public static class PatternSyntax
{
    public const int MaxAllowedWidth = 4096;

    public static PatternShape Analyze(string pattern)
    {
        var parser = new Parser(pattern);
        var shape = parser.ParseAll();
        if (shape.MaxWidth > MaxAllowedWidth)
        {
            throw new PatternSyntaxException($"maximum match width {shape.MaxWidth} exceeds {MaxAllowedWidth}");
        }
        if (shape.MinWidth == 0)
        {
            // A pattern that can match the empty string matches at every offset where its
            // assertions hold: Hyperscan rejects it, and a finding of zero bytes is no secret.
            throw new PatternSyntaxException("pattern can match the empty string");
        }
        if (shape.CaptureGroups > 1)
        {
            throw new PatternSyntaxException("more than one capturing group; use (?: ) for grouping");
        }
        return shape;
    }

    private ref struct Parser(string text)
    {
        private readonly string _s = text;
        private int _i;
        private int _captures;

        public PatternShape ParseAll()
        {
            if (_s.StartsWith("(?i)", StringComparison.Ordinal))
            {
                _i = 4;
            }
            var (min, max) = ParseAlternation();
            if (_i < _s.Length)
            {
                throw new PatternSyntaxException("unbalanced ')'", _i);
            }
            return new PatternShape(min, max, _captures);
        }

        private (int Min, int Max) ParseAlternation()
        {
            var (min, max) = ParseSequence();
            while (_i < _s.Length && _s[_i] == '|')
            {
                _i++;
                var (bmin, bmax) = ParseSequence();
                min = Math.Min(min, bmin);
                max = Math.Max(max, bmax);
            }
            return (min, max);
        }

        private (int Min, int Max) ParseSequence()
        {
            long min = 0, max = 0;
            while (_i < _s.Length && _s[_i] != '|' && _s[_i] != ')')
            {
                var (amin, amax) = ParseAtom();
                var (qmin, qmax) = ParseQuantifier();
                min += (long)amin * qmin;
                max += (long)amax * qmax;
                if (max > int.MaxValue / 4)
                {
                    throw new PatternSyntaxException("pattern is too wide", _i);
                }
            }
            return ((int)min, (int)max);
        }

        private (int Min, int Max) ParseQuantifier()
        {
            if (_i >= _s.Length)
            {
                return (1, 1);
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
                    return (1, 1);
            }
            if (_i < _s.Length && _s[_i] == '?')
            {
                _i++; // lazy
            }
            if (_i < _s.Length && (_s[_i] == '+' || _s[_i] == '*' || _s[_i] == '?' || _s[_i] == '{'))
            {
                throw new PatternSyntaxException("possessive or stacked quantifier", _i);
            }
            return (qmin, qmax);
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

        private (int Min, int Max) ParseAtom()
        {
            char c = _s[_i];
            switch (c)
            {
                case '(':
                    return ParseGroup();
                case '[':
                    ParseClass();
                    return (1, 1);
                case '\\':
                    return ParseEscape(inClass: false);
                case '^':
                case '$':
                    _i++;
                    return (0, 0);
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
                    return (1, 1);
            }
        }

        private (int Min, int Max) ParseGroup()
        {
            int start = _i;
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
                }
                else
                {
                    throw new PatternSyntaxException("unsupported group; only ( ), (?: ), (?i: ) and a leading (?i) are allowed", start);
                }
            }
            else
            {
                _captures++;
            }
            var inner = ParseAlternation();
            if (_i >= _s.Length || _s[_i] != ')')
            {
                throw new PatternSyntaxException("unterminated group", start);
            }
            _i++;
            return inner;
        }

        private void ParseClass()
        {
            int start = _i;
            _i++;
            if (_i < _s.Length && _s[_i] == '^')
            {
                _i++;
            }
            bool first = true;
            while (_i < _s.Length && (_s[_i] != ']' || first))
            {
                first = false;
                if (_s[_i] == '\\')
                {
                    ParseEscape(inClass: true);
                }
                else if (_s[_i] == '[')
                {
                    throw new PatternSyntaxException("'[' inside a class; escape it", _i);
                }
                else if (_s[_i] > 0x7F)
                {
                    throw new PatternSyntaxException("non-ASCII character; write \\xHH", _i);
                }
                else
                {
                    _i++;
                }
            }
            if (_i >= _s.Length)
            {
                throw new PatternSyntaxException("unterminated character class", start);
            }
            _i++;
        }

        private (int Min, int Max) ParseEscape(bool inClass)
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
                case 'd' or 'w' or 's' or 'D' or 'W' or 'S' or 't' or 'n' or 'r' or 'f' or 'v':
                    return (1, 1);
                case 'b' or 'B' when !inClass:
                    return (0, 0);
                case 'x':
                    if (_i + 2 > _s.Length || !char.IsAsciiHexDigit(_s[_i]) || !char.IsAsciiHexDigit(_s[_i + 1]))
                    {
                        throw new PatternSyntaxException("\\x needs two hex digits", start);
                    }
                    _i += 2;
                    return (1, 1);
                default:
                    if (e < 0x80 && char.IsAsciiLetterOrDigit(e) || e == '_')
                    {
                        throw new PatternSyntaxException($"unsupported escape '\\{e}'", start);
                    }
                    if (e > 0x7F || char.IsWhiteSpace(e))
                    {
                        throw new PatternSyntaxException("escape of a non-punctuation character", start);
                    }
                    return (1, 1);
            }
        }
    }
}
