namespace LeakGuard.Service.Api;

public static class ApiRoutes
{
    public const string Health = "/healthz";
    public const string Metrics = "/metrics";
}
