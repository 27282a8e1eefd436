namespace LeakGuard.Sources.Http;

/// <summary>A registry could not give what was asked for: a package or version that does not
/// exist, an answer that is not what the protocol promises, or a server that kept failing.
/// The message names the package and the registry, never a credential.</summary>
public sealed class RegistryException(string message, Exception? inner = null) : Exception(message, inner);
