namespace EmpowerBot.Policy;

/// <summary>
/// The organisation's non-negotiable rules as its admins set them in chat ("org policy"): a hard maximum for one credit,
/// the reasons a credit may never be given for, the customers who may receive none. Stored once for the organisation
/// and laid over every team's policy, so no team's own policy can loosen them. Absent: each team's configured ones.
/// </summary>
public sealed class OrgRules
{
    public decimal? HardMaximum { get; set; }

    public List<ForbiddenReasonOptions> ForbiddenReasons { get; set; } = [];

    public List<string> HoldList { get; set; } = [];

    /// <summary>A copy of <paramref name="policy"/> with these rules in place of its own.</summary>
    public PolicyOptions Over(PolicyOptions policy)
    {
        var copy = policy.Copy();
        copy.HardMaximum = HardMaximum;
        copy.ForbiddenReasons = [.. ForbiddenReasons.Select(f => new ForbiddenReasonOptions { Name = f.Name, Aliases = [.. f.Aliases] })];
        copy.HoldList = [.. HoldList];
        return copy;
    }
}
