using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Images;

/// <summary>
/// Passes a layer's files on to the scan, marked when the final image does not hold them (see
/// <see cref="LayerVisibility"/>): such a file is still scanned and its findings reported, since
/// its bytes ship in the image, with <c>inFinalImage=false</c> and which layer hides it.
/// Whiteout markers are recorded, not scanned.
/// </summary>
internal sealed class LayerSink(IExpansionSink inner, Blob layer, LayerVisibility visibility) : IExpansionSink
{
    private readonly string _prefix = layer.Path + "!";

    public void Member(Blob member) => Pass(member, release: null);

    public void Member(Blob member, Action release) => Pass(member, release);

    private void Pass(Blob member, Action? release)
    {
        string? path = member.Path.StartsWith(_prefix, StringComparison.Ordinal) ? ImageFiles.Normalize(member.Path[_prefix.Length..]) : null;
        if (path is not null && visibility.IsWhiteout(path))
        {
            release?.Invoke();
            return;
        }
        if (path is not null && visibility.File(path) is { } hidden)
        {
            var details = member.Origin?.Details is { } known ? new Dictionary<string, object?>(known) : [];
            details["inFinalImage"] = false;
            details["hiddenBy"] = hidden;
            member = new Blob
            {
                Path = member.Path,
                FingerprintPath = member.FingerprintPath,
                Content = member.Content,
                ArchiveDepth = member.ArchiveDepth,
                Lasting = member.Lasting,
                Origin = (member.Origin ?? new BlobOrigin()) with { Details = details },
            };
        }
        if (release is null)
        {
            inner.Member(member);
        }
        else
        {
            inner.Member(member, release);
        }
    }

    public void Expanded(Blob blob, int start, int length) => inner.Expanded(blob, start, length);

    public void Warn(string path, string message) => inner.Warn(path, message);

    public void Report(Finding finding) => inner.Report(finding);

    public ReleaseContext Release => inner.Release;
}
