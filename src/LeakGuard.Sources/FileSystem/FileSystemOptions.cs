namespace LeakGuard.Sources.FileSystem;

public sealed record FileSystemOptions
{
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Off by default: build output is often git-ignored and is exactly what ships.</summary>
    public bool RespectGitignore { get; init; }

    public bool FollowSymlinks { get; init; }
}
