namespace LeakGuard.Matching;

public enum EngineKind
{
    /// <summary>Hyperscan when libhs can be loaded, else managed.</summary>
    Auto,
    Hyperscan,
    Managed,
}
