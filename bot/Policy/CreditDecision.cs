using EmpowerBot.Budget;

namespace EmpowerBot.Policy;

/// <summary>
/// Everything the policy needs to decide on one credit; the ledger supplies the rep's remaining budget and how
/// many credits this customer had within <see cref="CreditPolicy.RepeatWindow"/> before this one.
/// </summary>
/// <param name="Reason">The configured reason, or null when the rep's words matched none.</param>
/// <param name="ReasonText">What the rep wrote; forbidden reasons are looked for in it.</param>
/// <param name="Customer">The customer reference, normalised (see <see cref="CustomerRef"/>).</param>
public sealed record CreditCheck(
    Money Amount,
    ReasonDefinition? Reason,
    string? ReasonText,
    string Customer,
    Money Remaining,
    int EarlierCreditsToCustomer);

/// <summary>One rule that fired, in words a rep understands.</summary>
/// <param name="WhatToDo">For refusals: what the rep can do instead. Null otherwise.</param>
public sealed record PolicyFinding(PolicyRule Rule, string Sentence, string? WhatToDo = null);

/// <summary>
/// The policy's answer: the outcome, the rule that decided it (the first to fire in
/// <see cref="PolicyRule.InPrecedenceOrder"/>) and its sentence; <see cref="Findings"/> lists every rule that
/// fired, in that order, so an approval card can show them all.
/// </summary>
public sealed record CreditDecision(CreditOutcome Outcome, PolicyRule Rule, string Sentence, string? WhatToDo, IReadOnlyList<PolicyFinding> Findings)
{
    public bool IsApplied => Outcome == CreditOutcome.Applied;

    public bool NeedsApproval => Outcome == CreditOutcome.NeedsApproval;

    public bool IsRefused => Outcome == CreditOutcome.Refused;

    internal static CreditDecision From(IReadOnlyList<PolicyFinding> findings, PolicyFinding withinPolicy)
    {
        var first = findings.Count > 0 ? findings[0] : withinPolicy;
        return new CreditDecision(first.Rule.Outcome, first.Rule, first.Sentence, first.WhatToDo, findings);
    }
}
