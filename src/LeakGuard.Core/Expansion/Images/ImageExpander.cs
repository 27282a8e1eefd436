using System.Security.Cryptography;
using LeakGuard.Core.Expansion.Archives;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Images;

/// <summary>
/// Expands a container image saved as a tar (<c>docker save</c>, <c>podman save</c> as
/// docker-archive or oci-archive, any OCI image layout packed in a tar): each layer is expanded
/// like an archive (tar, tar+gzip, tar+zstd) under its digest, <c>image.tar!sha256:…!usr/app/main.js</c>,
/// and each image's config (its environment and the <c>created_by</c> commands of its history,
/// where <c>ENV</c> and <c>ARG</c> values end up) is scanned as <c>image.tar!sha256:…</c>.
/// Layers are expanded top layer first, so that a file a later layer deletes or replaces is known
/// when it is reported: it is reported all the same (its bytes ship in the image), marked as not in
/// the final image (<see cref="LayerSink"/>). Every layer and config is checked against its digest;
/// one that does not match is scanned anyway, after a warning. Layers count against the image's
/// <see cref="ExpansionBudget"/> like any nested archive. An image whose manifests cannot be read
/// is one warning, and the file is then expanded as the plain tar it is: nothing in it goes unscanned.
/// </summary>
public sealed class ImageExpander(ScanOptions options) : IBlobExpander
{
    private readonly ArchiveExpander _layers = new(options);

    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        if (ArchiveExpander.Detect(blob.Content.Span) != ArchiveExpander.Format.Tar
            || ImageFiles.Index(blob.Content, options.MaxArchiveMembers) is not { } files)
        {
            return ExpansionResult.NotHandled;
        }
        IReadOnlyList<ImageManifest> images;
        try
        {
            images = ImageLayout.Read(files);
        }
        catch (InvalidDataException e)
        {
            sink.Warn(blob.Path, $"container image not read: {e.Message}; expanded as a plain tar");
            return ExpansionResult.NotHandled;
        }
        if (blob.ArchiveDepth >= options.MaxArchiveDepth)
        {
            sink.Warn(blob.Path, $"container image not expanded: nested deeper than --max-archive-depth {options.MaxArchiveDepth}");
            return ExpansionResult.Replaced;
        }
        using var share = budget.Open(blob, sink);
        if (share is null)
        {
            return ExpansionResult.Replaced;
        }
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            if (image.ConfigFile is { } config && Member(blob, files, config, image.ConfigDigest, "config", done, budget, sink) is { } configBlob)
            {
                budget.Spend(configBlob.Content.Length);
                sink.Member(configBlob);
            }
            var visibility = new LayerVisibility();
            foreach (var layer in image.Layers.Reverse())
            {
                if (Member(blob, files, layer.File, layer.Digest, "layer", done, budget, sink) is not { } layerBlob)
                {
                    continue;
                }
                // An empty layer (a RUN that changed nothing) is a tar of end-of-archive zeros only.
                if (!layerBlob.Content.Span.ContainsAnyExcept((byte)0))
                {
                    continue;
                }
                var layerSink = new LayerSink(sink, layerBlob, visibility);
                if (_layers.Expand(layerBlob, budget, layerSink) == ExpansionResult.NotHandled)
                {
                    sink.Warn(layerBlob.Path, "layer is not a tar, tar+gzip or tar+zstd; scanned as a file");
                    budget.Spend(layerBlob.Content.Length);
                    sink.Member(layerBlob);
                }
                visibility.EndLayer(layerBlob.MemberPath);
            }
        }
        return ExpansionResult.Replaced;
    }

    /// <summary>A config or layer as a member named by its digest, checked against the digest
    /// declared for it; null when it was already scanned (layers shared between images), or
    /// (after a warning) when it is missing or over the member cap.</summary>
    private static Blob? Member(Blob image, ImageFiles files, string file, string? declared, string what, HashSet<string> done,
        ExpansionBudget budget, IExpansionSink sink)
    {
        // Before hashing: a manifest may name one large layer any number of times.
        if (!done.Add(ImageFiles.Normalize(file)))
        {
            return null;
        }
        if (files.Read(file) is not { } content)
        {
            sink.Warn(image.Path, $"{what} '{file}' is missing from the image; the rest of the image is scanned");
            return null;
        }
        string actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content.Span));
        string name = declared ?? actual;
        if (!budget.TakeMember())
        {
            budget.Cut(sink, image, image.Path, budget.TooManyMembers, $"not fully expanded: {budget.TooManyMembers}");
            return null;
        }
        if (declared is not null && declared != actual)
        {
            sink.Warn($"{image.Path}!{name}", $"{what} does not match its digest (its content is {actual}); scanned anyway");
        }
        // A slice of the image's tar.
        return image.Member(name, content, image.Lasting);
    }
}
