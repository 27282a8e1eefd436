namespace LeakGuard.Storage;

/// <summary>The protected-code index a store holds: the bytes <c>protect push</c> sent (the index
/// file's format), their SHA-256 and when they were put there.</summary>
public sealed record StoredProtectedIndex(byte[] Content, string Digest, DateTimeOffset UpdatedAt);
