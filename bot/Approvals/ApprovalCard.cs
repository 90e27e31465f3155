using System.Globalization;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>View model of cards/approval-request.json: the same card for every viewer, with buttons only for those who may decide.</summary>
public sealed record ApprovalCard(
    string ApprovalId,
    string RequesterName,
    string TeamName,
    string Amount,
    string Customer,
    string Reason,
    string RuleLabel,
    string RuleSentence,
    string RepSpent,
    string RepBudget,
    string RepRemaining,
    bool HasCustomerCredits,
    IReadOnlyList<ApprovalCardCredit> CustomerCredits,
    bool IsPending,
    bool CanDecide,
    string Outcome,
    string OutcomeColor,
    bool HasComment,
    string Comment,
    string Expires,
    IReadOnlyList<string> RefreshUserIds);

public sealed record ApprovalCardCredit(string When, string Amount, string Status);

/// <summary>What the card shows about the rep's month and the customer's history, read when the card is built.</summary>
public sealed record ApprovalContext(BudgetStatus? Budget, IReadOnlyList<CustomerCredit> CustomerCredits);

public static class ApprovalCards
{
    /// <param name="zone">The zone of the person the card is built for.</param>
    public static CardReply Build(ApprovalRequest r, Team? team, TimeZoneInfo zone, ApprovalContext context, bool canDecide, IReadOnlyList<string> refreshUserIds)
    {
        var currency = Currency.Of(r.Currency);
        var amount = new Money(r.AmountMinor, currency);
        var credits = context.CustomerCredits.Take(5).Select(c => new ApprovalCardCredit(
            TimeZoneInfo.ConvertTime(c.At, zone).ToString("MMM d", CultureInfo.InvariantCulture),
            c.Amount.ToString(),
            c.Exception ? "Approved exception" : c.Status)).ToList();
        var budget = context.Budget;
        var card = new ApprovalCard(
            r.Id,
            r.RequesterName,
            team?.Name ?? "",
            amount.ToString(),
            r.Customer,
            r.Reason,
            CreditReplies.RuleLabel(r.Rule),
            r.RuleSentence,
            budget?.Balance.Spent.ToString() ?? "",
            budget?.Budget.ToString() ?? "",
            budget?.Remaining.ToString() ?? "",
            credits.Count > 0,
            credits,
            r.IsPending,
            r.IsPending && canDecide,
            Outcome(r, amount, zone),
            r.Status switch { ApprovalStatus.Approved => "Good", ApprovalStatus.Declined => "Attention", ApprovalStatus.Expired => "Warning", _ => "Default" },
            !string.IsNullOrEmpty(r.Comment),
            r.Comment ?? "",
            "Expires " + ZonedTime.WeekdayAndTime(r.ExpiresAt, zone),
            refreshUserIds);
        return new CardReply("approval-request", card, $"{r.RequesterName} asks to credit {amount} to {r.Customer}: {r.RuleSentence}");
    }

    /// <summary>"Approved by Megan Bowen at 10:42 AM America/New_York — $120.00 credited to ACME-1042".</summary>
    public static string Outcome(ApprovalRequest r, Money amount, TimeZoneInfo zone)
    {
        var at = r.DecidedAt is { } d ? ZonedTime.Time(d, zone) : "";
        return r.Status switch
        {
            ApprovalStatus.Approved => $"Approved by {r.DecidedByName} at {at} — {amount} credited to {r.Customer}",
            ApprovalStatus.Declined => $"Declined by {r.DecidedByName} at {at}",
            ApprovalStatus.Expired => "Expired — nobody decided in time; nothing was credited",
            _ => "Waiting for a decision",
        };
    }
}
