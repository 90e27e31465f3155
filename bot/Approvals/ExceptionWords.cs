using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>
/// Why a credit needs a manager, said to the manager about the rep, with the figures of the moment it was asked:
/// "over the $100.00 single-credit limit", "over Frontline's $20.00 cap for goodwill", "ACME-7 had 3 credits in 30
/// days", "over Alex's remaining budget: $30.00 left". The policy's own sentence speaks to the rep ("you have left").
/// </summary>
public static class ExceptionWords
{
    /// <param name="earlierCredits">The customer's credits within the repeat window before this one.</param>
    public static string For(Credit credit, Team team, string requesterName, int earlierCredits)
    {
        var policy = team.Policy;
        var currency = credit.Amount.Currency;
        var first = ApprovalCards.FirstName(requesterName);
        return credit.Rule switch
        {
            "exception-threshold" when policy.ExceptionThreshold is { } threshold =>
                $"over the {Money.FromDecimal(threshold, currency)} single-credit limit",
            "reason-cap" when policy.Reasons.FirstOrDefault(r => string.Equals(r.Name, credit.Reason, StringComparison.OrdinalIgnoreCase)) is { Cap: { } cap } reason =>
                $"over {team.Name}'s {Money.FromDecimal(cap, currency)} cap for {reason.Name.ToLowerInvariant()}",
            "repeat-customer" =>
                $"{credit.Customer} had {earlierCredits} credit{(earlierCredits == 1 ? "" : "s")} in {policy.RepeatWithinDays} day{(policy.RepeatWithinDays == 1 ? "" : "s")}",
            "over-budget" => credit.RemainingAfter.IsPositive
                ? $"over {first}'s remaining budget: {credit.RemainingAfter} left"
                : $"over {first}'s remaining budget: nothing left this month",
            _ => CreditReplies.RuleInShort(credit.Rule),
        };
    }
}
