namespace LeakGuard.Service.Api;

public static class ApiRoutes
{
    public const string Health = "/healthz";
    public const string Metrics = "/metrics";

    /// <summary>The triage page (<see cref="TriagePage"/>).</summary>
    public const string TriagePage = "/";

    /// <summary>Signing in to the triage page and out of it (<see cref="SessionEndpoints"/>).</summary>
    public const string Session = "/api/session";
}
