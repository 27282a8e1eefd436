namespace LeakGuard.Service.Configuration;

/// <summary>A configuration that cannot be used. Every problem found is listed, each naming its line and key.</summary>
public sealed class ServiceConfigurationException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
