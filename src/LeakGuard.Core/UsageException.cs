namespace LeakGuard.Core;

/// <summary>A problem with what the user asked for (a bad option, a target that does not exist, a
/// rule file that does not load): reported in one line, exit code 2. Thrown by every layer that
/// checks a request, so the command line and the service report it the same way.</summary>
public sealed class UsageException(string message) : Exception(message);
