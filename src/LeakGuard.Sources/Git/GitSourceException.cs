namespace LeakGuard.Sources.Git;

/// <summary>A repository or remote that cannot be scanned at all; the message is one line that names it.</summary>
public sealed class GitSourceException(string message, Exception? inner = null) : Exception(message, inner);
