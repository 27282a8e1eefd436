using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace LeakGuard.Core.Configuration;

/// <summary>
/// Loads a YAML file a person wrote (a scan configuration, the service's configuration), which
/// may be hostile: every malformed file is a <see cref="YamlException"/> with a position.
/// YamlDotNet itself throws InvalidOperationException or ArgumentException, with no position, for
/// some malformed input (a flow list continued on an unindented line, an alias where none may
/// be), and it builds nodes recursively: 100,000 nested brackets, or two keys of a mapping that
/// are aliases of an anchor not yet complete, overflowed the stack and killed the process.
/// </summary>
public static class YamlLoader
{
    /// <summary>Nesting no configuration needs.</summary>
    public const int MaxDepth = 64;

    public static YamlStream Load(string yaml)
    {
        var parser = new GuardedParser(new Parser(new StringReader(yaml)));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            return stream;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The last event read is where the parser stopped.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, "unexpected text after this point");
        }
    }

    /// <summary>Hands the events on, and stops before the nesting gets deeper than
    /// <see cref="MaxDepth"/> (the node tree is built as the events are read) and at an alias
    /// whose node is not complete yet (a node that contains it, or one further on): YamlDotNet
    /// keeps such an alias as a placeholder, and compares two placeholder keys of one mapping forever.</summary>
    private sealed class GuardedParser(IParser inner) : IParser
    {
        /// <summary>The anchor of each collection still open, outermost first.</summary>
        private readonly List<string?> _open = [];

        /// <summary>Anchors whose node is complete: an alias of them is the node itself.</summary>
        private readonly HashSet<string> _complete = new(StringComparer.Ordinal);

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }
            switch (inner.Current)
            {
                case MappingStart or SequenceStart when _open.Count == MaxDepth:
                    throw new YamlException(inner.Current.Start, inner.Current.End, $"nested deeper than {MaxDepth} levels");
                case MappingStart start:
                    _open.Add(start.Anchor.IsEmpty ? null : start.Anchor.Value);
                    break;
                case SequenceStart start:
                    _open.Add(start.Anchor.IsEmpty ? null : start.Anchor.Value);
                    break;
                case MappingEnd or SequenceEnd:
                    if (_open[^1] is { } anchor)
                    {
                        _complete.Add(anchor);
                    }
                    _open.RemoveAt(_open.Count - 1);
                    break;
                case Scalar { Anchor.IsEmpty: false } scalar:
                    _complete.Add(scalar.Anchor.Value);
                    break;
                case AnchorAlias alias when _open.Contains(alias.Value.Value):
                    throw new YamlException(alias.Start, alias.End, $"*{alias.Value.Value} refers to a node that contains it");
                case AnchorAlias alias when !_complete.Contains(alias.Value.Value):
                    throw new YamlException(alias.Start, alias.End, $"*{alias.Value.Value} comes before its anchor &{alias.Value.Value}");
            }
            return true;
        }
    }
}
