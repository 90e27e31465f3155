using EmpowerBot.Approvals;
using EmpowerBot.Budget;

namespace EmpowerBot.Insights;

/// <summary>
/// The main metric and the numbers around it, for one team and one budget month. Definitions (also in README.md):
/// <list type="bullet">
/// <item><b>Credit requests</b>: every credit a team member asked for in the month, whatever became of it, except
/// the ones the rep undid (a corrected mistake is not a customer outcome).</item>
/// <item><b>Resolved at the frontline</b>: applied by the rep from their own budget, with no manager involved.</item>
/// <item><b>Escalated</b>: sent to a manager (waiting, approved, declined or expired). <b>Refused</b>: stopped by a
/// non-negotiable rule. Both count as not resolved at the frontline.</item>
/// <item><b>Frontline resolution rate</b> = resolved ÷ credit requests; none when there were no requests.</item>
/// </list>
/// </summary>
public sealed record ResolutionFigures(int Requests, int Resolved, int Escalated, int Refused)
{
    public double? Rate => Requests == 0 ? null : (double)Resolved / Requests;

    public static ResolutionFigures Sum(IEnumerable<ResolutionFigures> parts) => parts.Aggregate(new ResolutionFigures(0, 0, 0, 0),
        (a, b) => new ResolutionFigures(a.Requests + b.Requests, a.Resolved + b.Resolved, a.Escalated + b.Escalated, a.Refused + b.Refused));

    public static ResolutionFigures Of(IEnumerable<Credit> credits)
    {
        int resolved = 0, escalated = 0, refused = 0;
        foreach (var c in credits)
        {
            switch (c.Status)
            {
                case CreditStatus.Applied when !c.Exception: resolved++; break;
                case CreditStatus.Applied or CreditStatus.PendingApproval or CreditStatus.Declined or CreditStatus.Expired or CreditStatus.Withdrawn: escalated++; break;
                case CreditStatus.Refused: refused++; break;
            }
        }
        return new ResolutionFigures(resolved + escalated + refused, resolved, escalated, refused);
    }
}

/// <summary>How many reps used how much of their budget: a distribution, never a ranking.</summary>
/// <remarks>A low share is a training signal, not a failure: the budget is there to be used.</remarks>
public sealed record BudgetUse(int Under10, int From10To50, int From50To90, int Over90)
{
    public int Reps => Under10 + From10To50 + From50To90 + Over90;

    public static BudgetUse Sum(IEnumerable<BudgetUse> parts) => parts.Aggregate(new BudgetUse(0, 0, 0, 0),
        (a, b) => new BudgetUse(a.Under10 + b.Under10, a.From10To50 + b.From10To50, a.From50To90 + b.From50To90, a.Over90 + b.Over90));

    public static BudgetUse Of(IEnumerable<BudgetStatus> reps)
    {
        int a = 0, b = 0, c = 0, d = 0;
        foreach (var r in reps)
        {
            var share = r.Budget.Minor <= 0 ? 0 : (double)r.Balance.Spent.Minor / r.Budget.Minor;
            if (share < 0.10) a++;
            else if (share < 0.50) b++;
            else if (share < 0.90) c++;
            else d++;
        }
        return new BudgetUse(a, b, c, d);
    }
}

/// <summary>Exceptions of the month: how many, how often approved, and how long managers took to decide.</summary>
public sealed record ExceptionFigures(int Count, int Approved, int Declined, int Expired, int Pending, TimeSpan? MedianTimeToDecision)
{
    public double? ApprovalRate => Approved + Declined == 0 ? null : (double)Approved / (Approved + Declined);

    public static ExceptionFigures Of(IReadOnlyList<ApprovalOutcome> requests)
    {
        var decided = requests.Where(r => r.Status is ApprovalStatus.Approved or ApprovalStatus.Declined && r.DecidedAt is not null)
            .Select(r => r.DecidedAt!.Value - r.CreatedAt).Order().ToList();
        TimeSpan? median = decided.Count == 0 ? null
            : decided.Count % 2 == 1 ? decided[decided.Count / 2]
            : (decided[decided.Count / 2 - 1] + decided[decided.Count / 2]) / 2;
        return new ExceptionFigures(
            requests.Count,
            requests.Count(r => r.Status == ApprovalStatus.Approved),
            requests.Count(r => r.Status == ApprovalStatus.Declined),
            requests.Count(r => r.Status == ApprovalStatus.Expired),
            requests.Count(r => r.Status == ApprovalStatus.Pending),
            median);
    }
}
