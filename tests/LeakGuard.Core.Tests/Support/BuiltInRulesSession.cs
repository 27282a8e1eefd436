using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Support;

/// <summary>One session with the built-in rules on the managed engine, shared by a test class
/// (loading the rules is the slow part), and a way to scan one in-memory file through it.</summary>
public sealed class BuiltInRulesSession : IDisposable
{
    private readonly string _cache = CoreTestKit.TempDirectory();

    public BuiltInRulesSession() => Session = ScanSession.Open(new ScanSettings { Engine = EngineKind.Managed, CacheDirectory = _cache });

    public ScanSession Session { get; }

    /// <summary>The findings the session reports for one file (at its minimum confidence).</summary>
    public IReadOnlyList<Finding> Scan(string path, string text) =>
        Session.Scan([SourceItem.InMemory(new Blob { Path = path, Content = Encoding.UTF8.GetBytes(text) })]).Result.Findings;

    public void Dispose() => Session.Dispose();
}
