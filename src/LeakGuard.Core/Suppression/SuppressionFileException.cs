namespace LeakGuard.Core.Suppression;

/// <summary>An ignore file or baseline that cannot be used; the message names the file (and the
/// line, where there is one) so the CLI can print it as its one-line reason.</summary>
public sealed class SuppressionFileException : Exception
{
    public SuppressionFileException(string message)
        : base(message)
    {
    }

    public SuppressionFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SuppressionFileException()
    {
    }
}
