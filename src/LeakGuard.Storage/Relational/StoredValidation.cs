using System.Text.Json;
using LeakGuard.Core.Findings;

namespace LeakGuard.Storage.Relational;

/// <summary>The JSON a finding's <see cref="ValidationResult"/> is kept as: names, not enum
/// numbers, so a stored answer reads the same after the enum grows.</summary>
internal sealed record StoredValidation(string Status, long CheckedAt, IReadOnlyList<string[]> Identity, IReadOnlyList<string> Scopes, string? Message)
{
    public static string? ToJson(ValidationResult? validation) => validation is null ? null : JsonSerializer.Serialize(new StoredValidation(
        validation.Status.Name(), validation.CheckedAt.ToUnixTimeMilliseconds(),
        [.. validation.Identity.Select(fact => new[] { fact.Key, fact.Value })], validation.Scopes, validation.Message));

    /// <summary>"live" or "invalid": the answers that say something about the credential; null otherwise.</summary>
    public static string? Definite(ValidationResult? validation) =>
        validation?.Status is ValidationStatus.Live or ValidationStatus.Invalid ? validation.Status.Name() : null;

    public static ValidationResult? FromJson(string? json)
    {
        if (json is null || JsonSerializer.Deserialize<StoredValidation>(json) is not { } stored
            || !Enum.TryParse<ValidationStatus>(stored.Status, ignoreCase: true, out var status))
        {
            return null;
        }
        return new ValidationResult
        {
            Status = status,
            CheckedAt = DateTimeOffset.FromUnixTimeMilliseconds(stored.CheckedAt),
            Identity = [.. stored.Identity.Where(fact => fact.Length == 2).Select(fact => KeyValuePair.Create(fact[0], fact[1]))],
            Scopes = stored.Scopes,
            Message = stored.Message,
        };
    }
}
