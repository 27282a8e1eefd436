using LeakGuard.Core.Expansion;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Tests.Fuzzing;

/// <summary>
/// What the scanner does with one input short of matching: the release context observes every
/// blob, the expanders run on it and, depth-first, on every member they emit (the first that
/// handles a blob wins, as in the scanner), the decoders run on text that is not expanded, and the
/// input's exposures are settled at the end. Nothing is caught: what a parser throws reaches the
/// fuzz loop.
/// </summary>
internal sealed class ExpansionHarness(ScanOptions options) : IExpansionSink
{
    private readonly IReadOnlyList<IBlobExpander> _expanders = Expanders.Default(options);
    private readonly List<Blob> _decoded = [];
    private ExpansionBudget _budget = new(options);

    public ReleaseContext Release { get; private set; } = new([]);

    public int Members { get; private set; }

    public int Warnings { get; private set; }

    public int Findings { get; private set; }

    public void Run(string path, byte[] content)
    {
        _budget = new ExpansionBudget(options);
        Release = new ReleaseContext(options.ProtectedPackages);
        Scan(new Blob { Path = path, Content = content });
        var loose = new ManifestIndex();
        foreach (var settle in Release.Complete(Report, _ => Warnings++, loose))
        {
            if (settle(loose) is { } finding)
            {
                Report(finding);
            }
        }
    }

    private void Scan(Blob blob)
    {
        Release.Observe(blob);
        foreach (var expander in _expanders)
        {
            var outcome = expander.Expand(blob, _budget, this);
            if (outcome == ExpansionResult.Replaced)
            {
                return;
            }
            if (outcome == ExpansionResult.ExpandedAndScan)
            {
                break;
            }
        }
        if (TextPosition.LooksBinary(blob.Content.Span))
        {
            return;
        }
        foreach (var decoder in Decoders.Default)
        {
            _decoded.Clear();
            decoder.Decode(blob, _decoded);
        }
    }

    public void Member(Blob member)
    {
        Members++;
        Scan(member);
    }

    public void Expanded(Blob blob, int start, int length)
    {
    }

    public void Warn(string path, string message) => Warnings++;

    public void Report(Finding finding) => Findings++;
}
