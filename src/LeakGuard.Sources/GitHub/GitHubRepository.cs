namespace LeakGuard.Sources.GitHub;

/// <summary>One repository of an organisation or user, as much of it as scanning needs.</summary>
public sealed record GitHubRepository(string FullName, string CloneUrl, bool Fork, bool Archived);
