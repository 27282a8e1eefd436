namespace LeakGuard.Core.Expansion;

/// <summary>What one top-level input may still expand to. Shared by every archive nested in it,
/// so a bomb spread over many members is caught as surely as one big member.</summary>
public sealed class ExpansionBudget(long bytes, int members)
{
    public long RemainingBytes { get; private set; } = bytes;

    public int RemainingMembers { get; private set; } = members;

    /// <summary>Set once the budget ran out: nothing more of this input is expanded.</summary>
    public bool Exhausted { get; set; }

    /// <summary>Set once a bomb finding was reported for this input, so it is reported once.</summary>
    public bool BombReported { get; set; }

    public bool TakeMember()
    {
        if (RemainingMembers <= 0)
        {
            return false;
        }
        RemainingMembers--;
        return true;
    }

    public void Spend(long bytes) => RemainingBytes -= bytes;
}
