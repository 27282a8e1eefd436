using System.Globalization;
using LeakGuard.Core.Findings;
using LeakGuard.Sources.Git;
using Octokit;

namespace LeakGuard.Sources.GitHub;

/// <summary>
/// Lists the repositories of a GitHub organisation, or of a user when no organisation has that
/// name, through Octokit (which follows the API's Link headers page by page). A rate limit is
/// waited out and the listing starts again, a bounded number of times; GitHub Enterprise Server
/// is reached by giving its API root.
/// </summary>
public sealed class GitHubRepositoryLister(Uri apiRoot, string? token, Action<string, string> warn)
{
    /// <summary>Longest single wait for a rate limit to reset; GitHub's primary limit resets hourly.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(65);

    /// <summary>How many rate-limited attempts are waited out before giving up.</summary>
    public int MaxRateLimitWaits { get; init; } = 5;

    public async Task<IReadOnlyList<GitHubRepository>> ListAsync(string owner, bool includeForks, bool includeArchived, CancellationToken cancellation = default)
    {
        var client = new GitHubClient(new ProductHeaderValue("leakguard"), apiRoot);
        if (token is not null)
        {
            client.Credentials = new Credentials(token);
        }
        string target = $"github:{owner}";
        for (int waits = 0; ; waits++)
        {
            try
            {
                var all = await ListOrganisationOrUser(client, owner);
                return [.. all
                    .Where(r => (includeForks || !r.Fork) && (includeArchived || !r.Archived))
                    .Select(r => new GitHubRepository(r.FullName, r.CloneUrl, r.Fork, r.Archived))
                    .OrderBy(r => r.FullName, StringComparer.Ordinal)];
            }
            catch (ApiException e) when (RateLimitWait(e) is { } wait)
            {
                if (waits >= MaxRateLimitWaits)
                {
                    throw new GitSourceException($"{target}: still rate limited after waiting {MaxRateLimitWaits} times; try again later", e);
                }
                if (wait > MaxWait)
                {
                    throw new GitSourceException($"{target}: rate limited until {DateTimeOffset.UtcNow + wait:u}, longer than the {MaxWait.TotalMinutes:0} minutes this scan waits", e);
                }
                warn(target, $"GitHub rate limit reached; waiting {Math.Ceiling(wait.TotalSeconds):0} s for it to reset");
                await Task.Delay(wait, cancellation);
            }
            catch (NotFoundException e)
            {
                throw new GitSourceException($"{target}: no GitHub organisation or user of that name at {RedactedUrl.Of(apiRoot)}", e);
            }
            catch (AuthorizationException e)
            {
                throw new GitSourceException($"{target}: GitHub refused the credentials (check GITHUB_TOKEN): {OneLine(e.Message)}", e);
            }
            catch (ApiException e)
            {
                throw new GitSourceException($"{target}: GitHub API error {(int)e.StatusCode}: {OneLine(e.Message)}", e);
            }
            catch (HttpRequestException e)
            {
                throw new GitSourceException($"{target}: GitHub API at {RedactedUrl.Of(apiRoot)} could not be reached: {OneLine(e.Message)}", e);
            }
        }
    }

    private static async Task<IReadOnlyList<Repository>> ListOrganisationOrUser(GitHubClient client, string owner)
    {
        try
        {
            return await client.Repository.GetAllForOrg(owner);
        }
        catch (NotFoundException)
        {
            return await client.Repository.GetAllForUser(owner);
        }
    }

    /// <summary>How long a rate-limited response asks us to wait (Retry-After, else the reset
    /// time), or null when the response is not about rate limits.</summary>
    internal static TimeSpan? RateLimitWait(ApiException e)
    {
        var headers = e.HttpResponse?.Headers;
        string? Header(string name) => headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        bool limited = e is RateLimitExceededException or SecondaryRateLimitExceededException
            || (int)e.StatusCode == 429
            || ((int)e.StatusCode == 403 && Header("x-ratelimit-remaining") == "0");
        if (!limited)
        {
            return null;
        }
        if (int.TryParse(Header("retry-after"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        if (long.TryParse(Header("x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out long reset))
        {
            // One second past the reset, so the retry does not arrive a moment too early.
            var until = DateTimeOffset.FromUnixTimeSeconds(reset) - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
            return until > TimeSpan.Zero ? until : TimeSpan.FromSeconds(1);
        }
        // GitHub's documented advice for a secondary limit without either header.
        return TimeSpan.FromMinutes(1);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
