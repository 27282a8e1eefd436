using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Validation;

/// <summary>A validator for a secret that works only with another value found beside it (an AWS
/// key's ID, a service-account key's email): the provider's signing scheme, written in code
/// (<see cref="ValidatorSpec.Signer"/>) with the provider's own library.</summary>
public interface IPairValidator
{
    /// <param name="half">The other value, found by the rule <see cref="ValidatorSpec.Pair"/> names.</param>
    Task<ValidationResult> ValidateAsync(ValidatorSpec spec, string half, string secret, CancellationToken cancellation);
}
