using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace LeakGuard.Core.Configuration;

/// <summary>
/// Loads a YAML file a person wrote (a scan configuration, the service's configuration), which
/// may be hostile: every malformed file is a <see cref="YamlException"/> with a position.
/// YamlDotNet itself throws InvalidOperationException or ArgumentException, with no position, for
/// some malformed input (a flow list continued on an unindented line, an alias where none may
/// be), and it builds nodes recursively: 100,000 nested brackets overflowed the stack and killed
/// the process.
/// </summary>
public static class YamlLoader
{
    /// <summary>Nesting no configuration needs.</summary>
    public const int MaxDepth = 64;

    public static YamlStream Load(string yaml)
    {
        var parser = new DepthLimitedParser(new Parser(new StringReader(yaml)));
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
    /// <see cref="MaxDepth"/>: the node tree is built as the events are read.</summary>
    private sealed class DepthLimitedParser(IParser inner) : IParser
    {
        private int _depth;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }
            switch (inner.Current)
            {
                case MappingStart or SequenceStart when ++_depth > MaxDepth:
                    throw new YamlException(inner.Current.Start, inner.Current.End, $"nested deeper than {MaxDepth} levels");
                case MappingEnd or SequenceEnd:
                    _depth--;
                    break;
            }
            return true;
        }
    }
}
