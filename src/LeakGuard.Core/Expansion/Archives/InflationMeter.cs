using LeakGuard.Core.Scanning;
namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// A stream inflating out of a compressed one (a .tgz's tar), charged byte for byte to the
/// expansion budget of the archive being expanded. Reaching a member of a .tgz means inflating
/// everything before it — headers, long names, members skipped or cut off — so every byte read
/// costs, not only the members kept; reading ends one byte past the budget (<see cref="Exceeded"/>),
/// so whoever reads sees that it ran over.
/// </summary>
internal sealed class InflationMeter(Stream inflating, ExpansionBudget budget) : ForwardReadStream
{
    /// <summary>Set once the budget ran out while reading.</summary>
    public bool Exceeded { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (budget.RemainingBytes < 0)
        {
            Exceeded = true;
            return 0;
        }
        int read = inflating.Read(buffer[..(int)Math.Min(buffer.Length, budget.RemainingBytes + 1)]);
        budget.Spend(read);
        Exceeded |= budget.RemainingBytes < 0;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inflating.Dispose();
        }
        base.Dispose(disposing);
    }
}
