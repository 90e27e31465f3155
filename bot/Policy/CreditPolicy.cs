using EmpowerBot.Budget;

namespace EmpowerBot.Policy;

/// <summary>
/// A team's credit rules as data, and the one pure decision over them: applied, needs approval or refused,
/// with the rule that decided and a sentence with the numbers. Immutable, so one instance serves every turn.
/// </summary>
public sealed class CreditPolicy
{
    private readonly decimal? exceptionThreshold;
    private readonly decimal? hardMaximum;
    private readonly IReadOnlySet<string> holdList;

    public CreditPolicy(PolicyOptions options)
    {
        Reasons = options.Reasons.Select(ReasonDefinition.From).ToArray();
        exceptionThreshold = options.ExceptionThreshold;
        hardMaximum = options.HardMaximum;
        ForbiddenReasons = options.ForbiddenReasons.Select(ForbiddenReason.From).Where(f => f.Name.Length > 0).ToArray();
        // Held references are compared in the same normal form the parser gives customers ("#acme-1" is "ACME-1").
        holdList = options.HoldList
            .Select(h => CustomerRef.TryNormalize(h, out var customer, out _) ? customer : h.Trim())
            .ToHashSet(StringComparer.Ordinal);
        RepeatMaxCredits = options.RepeatCustomer.MaxCredits;
        RepeatWithinDays = options.RepeatCustomer.WithinDays;
        UndoWindow = options.UndoWindow;
        CarryOver = options.CarryOver;
    }

    /// <summary>The configured reasons, for the parser and for the reason picker on forms.</summary>
    public IReadOnlyList<ReasonDefinition> Reasons { get; }

    /// <summary>The non-negotiable reasons, for the parser: a forbidden reason settles a message that names others too.</summary>
    public IReadOnlyList<ForbiddenReason> ForbiddenReasons { get; }

    public int RepeatMaxCredits { get; }

    public int RepeatWithinDays { get; }

    /// <summary>The largest single credit a rep gives without approval, or null when there is no such limit.</summary>
    public decimal? ExceptionThreshold => exceptionThreshold;

    /// <summary>How far back the ledger counts a customer's earlier credits; null when the repeat rule is off.</summary>
    public TimeSpan? RepeatWindow => RepeatMaxCredits > 0 && RepeatWithinDays > 0 ? TimeSpan.FromDays(RepeatWithinDays) : null;

    public TimeSpan UndoWindow { get; }

    public bool CarryOver { get; }

    public bool IsOnHold(string customer) =>
        holdList.Contains(CustomerRef.TryNormalize(customer, out var normalized, out _) ? normalized : customer);

    /// <summary>The name of the forbidden reason the text names anywhere, if any (see <see cref="ForbiddenReason.IsNamedIn"/>).</summary>
    public string? ForbiddenReasonIn(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : ForbiddenReasons.FirstOrDefault(f => f.IsNamedIn(text))?.Name;

    /// <summary>
    /// Decides on one credit. Every rule is checked and every one that fires is listed, in
    /// <see cref="PolicyRule.InPrecedenceOrder"/>; the first decides. Amounts exactly at a limit are allowed.
    /// </summary>
    public CreditDecision Decide(CreditCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (!check.Amount.IsPositive) throw new ArgumentException("A credit must be more than zero; the parser refuses anything else.", nameof(check));
        var amount = check.Amount;
        var currency = amount.Currency;
        var findings = new List<PolicyFinding>();

        if (IsOnHold(check.Customer))
        {
            findings.Add(new(PolicyRule.CustomerOnHold,
                $"{check.Customer} is on hold: no credit can be given to this customer (non-negotiable).",
                "Check with your team lead why the account is on hold before promising the customer anything."));
        }
        if (ForbiddenReasonIn(check.ReasonText ?? check.Reason?.Name) is { } forbidden)
        {
            findings.Add(new(PolicyRule.ForbiddenReason,
                $"Credits for \"{forbidden}\" are never allowed (non-negotiable).",
                "Use the company's own process for that instead, or pick another reason if that is not what the customer needs."));
        }
        if (hardMaximum is { } max && amount > Money.FromDecimal(max, currency))
        {
            findings.Add(new(PolicyRule.HardMaximum,
                $"Credits above {Money.FromDecimal(max, currency)} are never allowed (non-negotiable).",
                "Escalate to your team lead if the customer needs more."));
        }
        if (check.Reason is { Cap: { } cap } reason && amount > Money.FromDecimal(cap, currency))
        {
            var capped = Money.FromDecimal(cap, currency);
            findings.Add(new(PolicyRule.ReasonCap,
                $"{reason.Name} credits can be up to {capped} without approval; that is {amount - capped} more."));
        }
        if (exceptionThreshold is { } threshold && amount > Money.FromDecimal(threshold, currency))
        {
            findings.Add(new(PolicyRule.ExceptionThreshold,
                $"That is more than the {Money.FromDecimal(threshold, currency)} a single credit can be without approval."));
        }
        if (RepeatWindow is not null && check.EarlierCreditsToCustomer >= RepeatMaxCredits)
        {
            findings.Add(new(PolicyRule.RepeatCustomer,
                $"{check.Customer} already had {Plural(check.EarlierCreditsToCustomer, "credit")} in the last {(RepeatWithinDays == 1 ? "day" : $"{RepeatWithinDays} days")}."));
        }
        if (amount > check.Remaining)
        {
            findings.Add(new(PolicyRule.OverBudget, check.Remaining.IsPositive
                ? $"That is {amount - check.Remaining} more than the {check.Remaining} you have left this month."
                : "You have no budget left this month."));
        }

        var remainingAfter = check.Remaining - amount;
        return CreditDecision.From(findings, new PolicyFinding(PolicyRule.WithinPolicy,
            $"{amount} is within policy; you will have {remainingAfter} left this month."));
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
