namespace LeakGuard.Service.Configuration;

/// <summary>A configuration that cannot be used. Every problem found is listed, each naming its line
/// and key, and so is every warning (unknown keys), which may explain a problem.</summary>
public sealed class ServiceConfigurationException(IReadOnlyList<string> problems, IReadOnlyList<string> warnings)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public IReadOnlyList<string> Warnings { get; } = warnings;
}
