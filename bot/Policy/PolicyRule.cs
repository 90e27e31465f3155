namespace EmpowerBot.Policy;

/// <summary>What a credit request comes to.</summary>
public enum CreditOutcome
{
    /// <summary>Within policy and budget: the credit is applied at once.</summary>
    Applied,

    /// <summary>A true exception: a manager decides.</summary>
    NeedsApproval,

    /// <summary>A non-negotiable rule: refused, never escalated.</summary>
    Refused,
}

/// <summary>
/// A rule of the credit policy. <see cref="Id"/> is stable: it is stored with credits and approval requests and
/// shown in reports, so never rename one.
/// </summary>
public sealed record PolicyRule(string Id, CreditOutcome Outcome)
{
    public static readonly PolicyRule CustomerOnHold = new("customer-on-hold", CreditOutcome.Refused);
    public static readonly PolicyRule ForbiddenReason = new("forbidden-reason", CreditOutcome.Refused);
    public static readonly PolicyRule HardMaximum = new("hard-maximum", CreditOutcome.Refused);
    public static readonly PolicyRule ReasonCap = new("reason-cap", CreditOutcome.NeedsApproval);
    public static readonly PolicyRule ExceptionThreshold = new("exception-threshold", CreditOutcome.NeedsApproval);
    public static readonly PolicyRule RepeatCustomer = new("repeat-customer", CreditOutcome.NeedsApproval);
    public static readonly PolicyRule OverBudget = new("over-budget", CreditOutcome.NeedsApproval);
    public static readonly PolicyRule WithinPolicy = new("within-policy", CreditOutcome.Applied);

    /// <summary>
    /// The order rules are reported in. Non-negotiable rules come first, because no approval can lift them;
    /// a hold names the customer, the most basic fact, then what the credit is for, then its size. Among the
    /// exceptions the rule about this credit itself (its reason, its size) explains best why it is unusual,
    /// then the customer's history, and the rep's own budget last.
    /// </summary>
    public static IReadOnlyList<PolicyRule> InPrecedenceOrder { get; } =
        [CustomerOnHold, ForbiddenReason, HardMaximum, ReasonCap, ExceptionThreshold, RepeatCustomer, OverBudget, WithinPolicy];

    public override string ToString() => Id;
}
