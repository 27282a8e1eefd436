using System.Globalization;
using System.Text;

namespace LeakGuard.Core.Rules.Import;

/// <summary>Thrown when a peer's pattern uses a construct with no equivalent in LeakGuard's dialect.</summary>
public sealed class UntranslatablePatternException(string message) : Exception(message);

/// <summary>
/// Translates a Go RE2 / Rust <c>regex</c> pattern (gitleaks, Nosey Parker, Kingfisher) into
/// LeakGuard's pattern dialect (rules/README.md): unbounded quantifiers get a cap, flags become
/// explicit case handling, every group but the secret's stops capturing, <c>(?x)</c> whitespace and
/// comments go. What has no same-meaning form (look-arounds, <c>\A \z</c>, Unicode classes,
/// non-ASCII text) throws <see cref="UntranslatablePatternException"/>.
/// </summary>
public static class PeerRegex
{
    /// <summary>What <c>*</c>, <c>+</c> and <c>{m,}</c> may repeat at most.</summary>
    public const int RepeatCap = 1024;

    /// <param name="secretGroup">The group (1-based, in order of opening parentheses) that holds the
    /// secret; 0 = the first group if there is one.</param>
    /// <param name="maxWidth">The widest match the dialect allows: where <see cref="RepeatCap"/> on
    /// every unbounded quantifier would be wider (repeats nested in repeats, several long runs), caps
    /// are lowered — the largest first, among equals the one that widens the pattern most — only
    /// until the pattern fits, so each quantifier keeps as much of its reach as the width allows.</param>
    public static TranslatedPattern Translate(string pattern, int secretGroup = 0, int maxWidth = LeakGuard.Matching.PatternSyntax.MaxAllowedWidth)
    {
        var root = new Parser(pattern).Parse();
        int groups = Node.CountCaptures(root);
        if (secretGroup > groups)
        {
            throw new UntranslatablePatternException($"secretGroup {secretGroup} but the pattern has {groups} group(s)");
        }
        int keep = secretGroup > 0 ? secretGroup : groups > 0 ? 1 : 0;
        bool mixedCase = Node.HasMixedCase(root, ci: false, out bool anyCi);
        var emitter = new Emitter(keep, RepeatCaps.Fit(root, RepeatCap, maxWidth), expandCase: mixedCase);
        var text = new StringBuilder();
        // Uniformly case-insensitive patterns keep the readable leading (?i); mixed ones spell cases out.
        bool leadingCi = anyCi && !mixedCase;
        if (leadingCi)
        {
            text.Append("(?i)");
        }
        emitter.Emit(root, text, ci: false);
        return new TranslatedPattern(text.ToString(), RequiredLiterals.Of(root));
    }

    /// <summary>One parsed construct. Case-insensitivity is stored on the leaves it affects.</summary>
    internal abstract record Node
    {
        public static int CountCaptures(Node node) => node switch
        {
            Group g => (g.Capturing ? 1 : 0) + CountCaptures(g.Inner),
            Sequence s => s.Items.Sum(CountCaptures),
            Alternation a => a.Branches.Sum(CountCaptures),
            Repeat r => CountCaptures(r.Inner),
            _ => 0,
        };

        /// <summary>Whether some letters are case-insensitive and others are not.</summary>
        public static bool HasMixedCase(Node root, bool ci, out bool anyCi)
        {
            bool sawCi = false, sawCs = false;
            Visit(root);
            anyCi = sawCi;
            return sawCi && sawCs;

            void Visit(Node n)
            {
                switch (n)
                {
                    case Literal l when char.IsAsciiLetter(l.Char):
                        if (l.IgnoreCase) { sawCi = true; } else { sawCs = true; }
                        break;
                    case CharClass c when c.HasLetters:
                        if (c.IgnoreCase) { sawCi = true; } else { sawCs = true; }
                        break;
                    case Group g: Visit(g.Inner); break;
                    case Sequence s: s.Items.ForEach(Visit); break;
                    case Alternation a: a.Branches.ForEach(Visit); break;
                    case Repeat r: Visit(r.Inner); break;
                }
            }
        }
    }

    internal sealed record Literal(char Char, bool IgnoreCase) : Node;

    /// <summary>A class: its items as dialect text (ranges, escapes), the ASCII characters it holds
    /// when small and known (for literal extraction), and whether letters in it ignore case.</summary>
    internal sealed record CharClass(string Body, bool Negated, bool IgnoreCase, bool HasLetters, IReadOnlySet<char>? Members) : Node;

    /// <summary>An escape or dot that stands for a class: <c>\d</c>, <c>.</c> …</summary>
    internal sealed record Shorthand(string Text) : Node;

    /// <summary>A zero-width assertion: <c>^ $ \b \B</c>.</summary>
    internal sealed record Assertion(string Text) : Node;

    internal sealed record Group(Node Inner, bool Capturing) : Node;

    internal sealed record Sequence(List<Node> Items) : Node;

    internal sealed record Alternation(List<Node> Branches) : Node;

    /// <summary>Max null = unbounded.</summary>
    internal sealed record Repeat(Node Inner, int Min, int? Max, bool Lazy) : Node;

    private sealed class Emitter(int keepGroup, IReadOnlyDictionary<Repeat, int> caps, bool expandCase)
    {
        private int _group;

        public void Emit(Node node, StringBuilder o, bool ci)
        {
            switch (node)
            {
                case Literal l:
                    if (expandCase && l.IgnoreCase && char.IsAsciiLetter(l.Char))
                    {
                        o.Append('[').Append(char.ToLowerInvariant(l.Char)).Append(char.ToUpperInvariant(l.Char)).Append(']');
                    }
                    else
                    {
                        AppendLiteral(o, l.Char);
                    }
                    break;
                case CharClass c:
                    o.Append('[');
                    if (c.Negated) { o.Append('^'); }
                    o.Append(expandCase && c.IgnoreCase ? CaseFold(c.Body) : c.Body);
                    o.Append(']');
                    break;
                case Shorthand s:
                    o.Append(s.Text);
                    break;
                case Assertion a:
                    o.Append(a.Text);
                    break;
                case Group g:
                    _group += g.Capturing ? 1 : 0;
                    o.Append(g.Capturing && _group == keepGroup ? "(" : "(?:");
                    Emit(g.Inner, o, ci);
                    o.Append(')');
                    break;
                case Sequence s:
                    foreach (var item in s.Items)
                    {
                        Emit(item, o, ci);
                    }
                    break;
                case Alternation a:
                    for (int i = 0; i < a.Branches.Count; i++)
                    {
                        if (i > 0) { o.Append('|'); }
                        Emit(a.Branches[i], o, ci);
                    }
                    break;
                case Repeat r:
                    // A repeated sequence or alternation needs its own group to be quantified.
                    bool wrap = r.Inner is Sequence or Alternation;
                    if (wrap) { o.Append("(?:"); }
                    Emit(r.Inner, o, ci);
                    if (wrap) { o.Append(')'); }
                    int max = r.Max ?? caps[r];
                    if (r.Min == 0 && max == 1) { o.Append('?'); }
                    else if (r.Min == max) { o.Append('{').Append(r.Min).Append('}'); }
                    else { o.Append('{').Append(r.Min).Append(',').Append(max).Append('}'); }
                    if (r.Lazy) { o.Append('?'); }
                    break;
            }
        }

        /// <summary>Adds the other case of every letter and letter range in a class body.</summary>
        private static string CaseFold(string body)
        {
            var extra = new StringBuilder();
            for (int i = 0; i < body.Length; i++)
            {
                if (body[i] == '\\') { i++; continue; }
                bool range = i + 2 < body.Length && body[i + 1] == '-' && body[i + 2] != '\\';
                char lo = body[i], hi = range ? body[i + 2] : body[i];
                for (char c = lo; c <= hi && c < 0x80; c++)
                {
                    if (char.IsAsciiLetterLower(c)) { extra.Append(char.ToUpperInvariant(c)); }
                    else if (char.IsAsciiLetterUpper(c)) { extra.Append(char.ToLowerInvariant(c)); }
                }
                if (range) { i += 2; }
            }
            return body + extra;
        }
    }

    internal static void AppendLiteral(StringBuilder o, char c)
    {
        if (char.IsAsciiLetterOrDigit(c) || c == '_' || c == ' ' || (c > 0x20 && c < 0x7F && "\\^$.|?*+()[]{}/-".IndexOf(c) < 0))
        {
            o.Append(c);
        }
        else if (c > 0x20 && c < 0x7F)
        {
            o.Append('\\').Append(c);
        }
        else
        {
            o.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Deepest group nesting read: a hostile pattern must not exhaust the stack.</summary>
    private const int MaxDepth = 64;

    private ref struct Parser(string text)
    {
        private readonly string _s = text;
        private int _i;
        private int _depth;

        public Node Parse()
        {
            var node = ParseAlternation(new Flags(false, false, false));
            if (_i < _s.Length)
            {
                throw Fail("unbalanced ')'");
            }
            return node;
        }

        private readonly record struct Flags(bool IgnoreCase, bool DotAll, bool Extended);

        private UntranslatablePatternException Fail(string why) => new($"{why} at position {_i}");

        private Node ParseAlternation(Flags flags)
        {
            var branches = new List<Node>();
            var items = new List<Node>();
            while (true)
            {
                SkipExtended(flags);
                if (_i >= _s.Length || _s[_i] == ')')
                {
                    break;
                }
                if (_s[_i] == '|')
                {
                    _i++;
                    branches.Add(new Sequence(items));
                    items = [];
                    continue;
                }
                if (_s.AsSpan(_i).StartsWith("(?#"))
                {
                    // A comment group, as Hyperscan (Nosey Parker's engine) reads it.
                    int close = _s.IndexOf(')', _i);
                    _i = close < 0 ? throw Fail("unterminated comment") : close + 1;
                    continue;
                }
                // A bare flag group (?i) changes the flags for the rest of the enclosing group.
                if (TryFlagGroup(ref flags))
                {
                    continue;
                }
                var atom = ParseAtom(flags);
                items.Add(ParseQuantifier(atom, flags));
            }
            branches.Add(new Sequence(items));
            return branches.Count == 1 ? branches[0] : new Alternation(branches);
        }

        private void SkipExtended(Flags flags)
        {
            while (flags.Extended && _i < _s.Length)
            {
                if (char.IsWhiteSpace(_s[_i]))
                {
                    _i++;
                }
                else if (_s[_i] == '#')
                {
                    while (_i < _s.Length && _s[_i] != '\n') { _i++; }
                }
                else
                {
                    break;
                }
            }
        }

        /// <summary>(?flags) or (?flags: … ) — the latter is handled by the caller of ParseGroup.</summary>
        private bool TryFlagGroup(ref Flags flags)
        {
            if (!(_s.AsSpan(_i).StartsWith("(?") && _i + 2 < _s.Length))
            {
                return false;
            }
            int j = _i + 2;
            while (j < _s.Length && (char.IsAsciiLetter(_s[j]) || _s[j] == '-')) { j++; }
            if (j >= _s.Length || _s[j] != ')' || j == _i + 2)
            {
                return false;
            }
            flags = ApplyFlags(flags, _s[(_i + 2)..j]);
            _i = j + 1;
            return true;
        }

        private Flags ApplyFlags(Flags flags, string spec)
        {
            bool on = true;
            foreach (char f in spec)
            {
                switch (f)
                {
                    case '-': on = false; break;
                    case 'i': flags = flags with { IgnoreCase = on }; break;
                    case 's': flags = flags with { DotAll = on }; break;
                    case 'x': flags = flags with { Extended = on }; break;
                    // Lines: LeakGuard always matches ^ and $ at line boundaries; U (swap greed) has no form here.
                    case 'm': break;
                    case 'u': break;
                    default: throw Fail($"unsupported flag '{f}'");
                }
            }
            return flags;
        }

        private Node ParseQuantifier(Node atom, Flags flags)
        {
            SkipExtended(flags);
            if (_i >= _s.Length)
            {
                return atom;
            }
            int min;
            int? max;
            switch (_s[_i])
            {
                case '*': _i++; (min, max) = (0, null); break;
                case '+': _i++; (min, max) = (1, null); break;
                case '?': _i++; (min, max) = (0, 1); break;
                case '{' when TryBraces(flags, out min, out max): break;
                default: return atom;
            }
            bool lazy = false;
            if (_i < _s.Length && _s[_i] == '?') { _i++; lazy = true; }
            else if (_i < _s.Length && _s[_i] == '+') { throw Fail("possessive quantifier"); }
            if (atom is Assertion)
            {
                throw Fail("quantified assertion");
            }
            SkipExtended(flags);
            if (_i < _s.Length && (_s[_i] is '*' or '+' or '?' || _s[_i] == '{' && TryBraces(flags, out _, out _)))
            {
                throw Fail("quantifier on a quantifier"); // RE2 refuses it too
            }
            return new Repeat(atom, min, max, lazy);
        }

        private bool TryBraces(Flags flags, out int min, out int? max)
        {
            min = 0;
            max = null;
            int close = _s.IndexOf('}', _i);
            if (close < 0)
            {
                return false;
            }
            string body = _s[(_i + 1)..close];
            if (flags.Extended)
            {
                // Verbose mode ignores whitespace inside a counted repetition too: {1, 5} is {1,5}.
                body = string.Concat(body.Where(c => !char.IsWhiteSpace(c)));
            }
            int comma = body.IndexOf(',');
            string lo = comma < 0 ? body : body[..comma];
            string hi = comma < 0 ? body : body[(comma + 1)..];
            if (!(lo.Length == 0 && comma >= 0 || int.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out min))
                || !(hi.Length == 0 && comma >= 0 || int.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out int h) && (max = h) is not null))
            {
                return false; // RE2 reads a '{' that starts no quantifier as a literal
            }
            if (lo.Length == 0 && hi.Length == 0)
            {
                return false;
            }
            if (max < min)
            {
                throw Fail("quantifier {m,n} with n < m");
            }
            _i = close + 1;
            return true;
        }

        private Node ParseAtom(Flags flags)
        {
            char c = _s[_i];
            switch (c)
            {
                case '(':
                    return ParseGroup(flags);
                case '[':
                    return ParseClass(flags);
                case '\\':
                    return ParseEscape(flags);
                case '.':
                    _i++;
                    return new Shorthand(flags.DotAll ? "[\\s\\S]" : ".");
                case '^' or '$':
                    _i++;
                    return new Assertion(c.ToString());
                case '*' or '+' or '?':
                    throw Fail($"quantifier '{c}' with nothing to repeat");
                default:
                    if (c > 0x7F)
                    {
                        throw Fail("non-ASCII character");
                    }
                    _i++;
                    return new Literal(c, flags.IgnoreCase);
            }
        }

        private Node ParseGroup(Flags flags)
        {
            if (++_depth > MaxDepth)
            {
                throw Fail($"groups nested more than {MaxDepth} deep");
            }
            _i++;
            bool capturing = true;
            if (_i < _s.Length && _s[_i] == '?')
            {
                var rest = _s.AsSpan(_i);
                if (rest.StartsWith("?P<") || rest.StartsWith("?<") && rest.Length > 2 && rest[2] != '=' && rest[2] != '!')
                {
                    // A named group is a numbered group with a name: it keeps its number.
                    int close = _s.IndexOf('>', _i);
                    if (close < 0) { throw Fail("unterminated group name"); }
                    _i = close + 1;
                }
                else if (rest.StartsWith("?=") || rest.StartsWith("?!") || rest.StartsWith("?<=") || rest.StartsWith("?<!"))
                {
                    throw Fail("look-around");
                }
                else if (rest.StartsWith("?>"))
                {
                    throw Fail("atomic group");
                }
                else
                {
                    int j = _i + 1;
                    while (j < _s.Length && (char.IsAsciiLetter(_s[j]) || _s[j] == '-')) { j++; }
                    if (j >= _s.Length || _s[j] != ':')
                    {
                        throw Fail("unsupported group");
                    }
                    flags = ApplyFlags(flags, _s[(_i + 1)..j]);
                    _i = j + 1;
                    capturing = false;
                }
            }
            var inner = ParseAlternation(flags);
            if (_i >= _s.Length || _s[_i] != ')')
            {
                throw Fail("unterminated group");
            }
            _i++;
            _depth--;
            return new Group(inner, capturing);
        }

        private Node ParseEscape(Flags flags)
        {
            if (_i + 1 >= _s.Length)
            {
                throw Fail("trailing backslash");
            }
            char e = _s[_i + 1];
            _i += 2;
            switch (e)
            {
                case 'd' or 'w' or 's' or 'D' or 'W' or 'S':
                    return new Shorthand("\\" + e);
                case 'b' or 'B':
                    return new Assertion("\\" + e);
                case 't': return new Literal('\t', false);
                case 'n': return new Literal('\n', false);
                case 'r': return new Literal('\r', false);
                case 'f': return new Literal('\f', false);
                case 'v': return new Literal('\v', false);
                case 'x':
                    return new Literal(HexEscape(), flags.IgnoreCase);
                case 'A' or 'z' or 'Z' or 'G':
                    throw Fail($"'\\{e}' (start or end of the whole input; LeakGuard's ^ and $ are per line)");
                case 'p' or 'P':
                    throw Fail("Unicode class");
                default:
                    if (char.IsAsciiLetterOrDigit(e) || e > 0x7F)
                    {
                        throw Fail($"unsupported escape '\\{e}'");
                    }
                    return new Literal(e, flags.IgnoreCase);
            }
        }

        private char HexEscape()
        {
            string digits;
            if (_i < _s.Length && _s[_i] == '{')
            {
                int close = _s.IndexOf('}', _i);
                if (close < 0) { throw Fail("unterminated \\x{"); }
                digits = _s[(_i + 1)..close];
                _i = close + 1;
            }
            else
            {
                if (_i + 2 > _s.Length) { throw Fail("\\x needs two hex digits"); }
                digits = _s.Substring(_i, 2);
                _i += 2;
            }
            if (!int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code) || code > 0x7F)
            {
                throw Fail("non-ASCII character escape");
            }
            return (char)code;
        }

        private Node ParseClass(Flags flags)
        {
            _i++;
            bool negated = false;
            if (_i < _s.Length && _s[_i] == '^') { negated = true; _i++; }
            var body = new StringBuilder();
            var members = new HashSet<char>();
            bool known = true, letters = false, first = true;
            while (_i < _s.Length && (_s[_i] != ']' || first))
            {
                first = false;
                if (_s.AsSpan(_i).StartsWith("[:"))
                {
                    int close = _s.IndexOf(":]", _i, StringComparison.Ordinal);
                    if (close < 0) { throw Fail("unterminated POSIX class"); }
                    string name = _s[(_i + 2)..close];
                    body.Append(Posix(name));
                    known = false;
                    letters |= name is "alpha" or "alnum" or "upper" or "lower" or "word" or "xdigit" or "print" or "graph";
                    _i = close + 2;
                    continue;
                }
                char lo = ClassChar(body, ref known);
                if (lo == '\0')
                {
                    continue; // a shorthand such as \d, already written
                }
                if (_i + 1 < _s.Length && _s[_i] == '-' && _s[_i + 1] != ']')
                {
                    _i++;
                    char hi = ClassChar(body, ref known, range: true);
                    if (hi < lo) { throw Fail("class range out of order"); }
                    letters |= lo <= 'z' && hi >= 'A';
                    for (char c = lo; c <= hi && members.Count <= 8; c++) { members.Add(c); }
                    if (hi - lo > 8) { known = false; }
                    continue;
                }
                letters |= char.IsAsciiLetter(lo);
                members.Add(lo);
            }
            if (_i >= _s.Length)
            {
                throw Fail("unterminated character class");
            }
            _i++;
            if (body.Length == 0)
            {
                throw Fail("empty class");
            }
            return new CharClass(body.ToString(), negated, flags.IgnoreCase, letters, known && !negated ? members : null);
        }

        /// <summary>Reads one class member, writes it to <paramref name="body"/> and returns it, or
        /// '\0' for a shorthand (\d \w \s).</summary>
        private char ClassChar(StringBuilder body, ref bool known, bool range = false)
        {
            char c = _s[_i];
            if (c == '\\')
            {
                if (_i + 1 >= _s.Length) { throw Fail("trailing backslash"); }
                char e = _s[_i + 1];
                _i += 2;
                switch (e)
                {
                    case 'd' or 'w' or 's' or 'D' or 'W' or 'S' when !range:
                        body.Append('\\').Append(e);
                        known = false;
                        return '\0';
                    case 't': c = '\t'; break;
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 'f': c = '\f'; break;
                    case 'v': c = '\v'; break;
                    case 'x': c = HexEscape(); break;
                    case 'p' or 'P': throw Fail("Unicode class");
                    default:
                        if (char.IsAsciiLetterOrDigit(e) || e > 0x7F) { throw Fail($"unsupported escape '\\{e}' in a class"); }
                        c = e;
                        break;
                }
            }
            else
            {
                if (c > 0x7F) { throw Fail("non-ASCII character in a class"); }
                _i++;
            }
            if (range)
            {
                body.Append('-');
            }
            AppendClassChar(body, c);
            return c;
        }

        private static void AppendClassChar(StringBuilder body, char c)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_' || c == ' ' || (c > 0x20 && c < 0x7F && "\\]^[-".IndexOf(c) < 0))
            {
                body.Append(c);
            }
            else if (c > 0x20 && c < 0x7F)
            {
                body.Append('\\').Append(c);
            }
            else
            {
                body.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        private string Posix(string name) => name switch
        {
            "alnum" => "0-9A-Za-z",
            "alpha" => "A-Za-z",
            "digit" => "0-9",
            "lower" => "a-z",
            "upper" => "A-Z",
            "xdigit" => "0-9A-Fa-f",
            "word" => "\\w",
            "space" => "\\s",
            "blank" => " \\t",
            "punct" => "!-\\/:-@\\[-`{-~",
            "print" => " -~",
            "graph" => "!-~",
            _ => throw Fail($"unsupported POSIX class '[:{name}:]'"),
        };
    }
}

/// <summary>A pattern in LeakGuard's dialect and the literals every match of it contains (lower
/// case; empty when no set of 3+ character literals covers every match).</summary>
public sealed record TranslatedPattern(string Pattern, IReadOnlyList<string> RequiredLiterals);
