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
    bool HasNote,
    string Note,
    string RuleLabel,
    string RuleWords,
    string RequesterFirstName,
    string RepSpent,
    string RepBudget,
    string RepRemaining,
    bool HasCustomerCredits,
    IReadOnlyList<ApprovalCardCredit> CustomerCredits,
    bool IsPending,
    bool CanDecide,
    string Outcome,
    string OutcomeColor,
    string CommentLabel,
    bool HasComment,
    string Comment,
    string Requested,
    string Expires,
    IReadOnlyList<string> RefreshUserIds,
    bool CanPassUp = false,
    string PassUpTitle = "",
    string PassedUp = "");

public sealed record ApprovalCardCredit(string When, string Amount, string Status);

/// <summary>What the card shows about the rep's month and the customer's history, read when the card is built.</summary>
public sealed record ApprovalContext(BudgetStatus? Budget, IReadOnlyList<CustomerCredit> CustomerCredits);

public static class ApprovalCards
{
    /// <param name="zone">The zone of the person the card is built for.</param>
    /// <param name="passUpTo">The first names of the next approval level, when the viewer may pass the request up to it.</param>
    /// <param name="approverNames">The names of those who can decide the request now, as people read them (not their keys).</param>
    public static CardReply Build(ApprovalRequest r, Team? team, TimeZoneInfo zone, ApprovalContext context, bool canDecide, IReadOnlyList<string> refreshUserIds,
        IReadOnlyList<string> approverNames, bool declineNeedsReason = true, IReadOnlyList<string>? passUpTo = null)
    {
        var currency = Currency.Of(r.Currency);
        var amount = new Money(r.AmountMinor, currency);
        var credits = context.CustomerCredits.Take(5).Select(c => new ApprovalCardCredit(
            TimeZoneInfo.ConvertTime(c.At, zone).ToString("MMM d", CultureInfo.InvariantCulture),
            c.Amount.ToString(),
            // A reserved line is a credit being applied this very moment.
            c.Status == CustomerIndex.Reserved ? HistoryCommand.StatusLabel(CreditStatus.Applied, c.Exception)
                : Enum.TryParse<CreditStatus>(c.Status, out var status) ? HistoryCommand.StatusLabel(status, c.Exception) : c.Status)).ToList();
        var budget = context.Budget;
        var words = RuleWords(r);
        var card = new ApprovalCard(
            r.Id,
            r.RequesterName,
            team?.Name ?? "",
            amount.ToString(),
            r.Customer,
            r.Reason,
            !string.IsNullOrEmpty(r.Note),
            r.Note ?? "",
            CreditReplies.RuleLabel(r.Rule),
            words,
            FirstName(r.RequesterName),
            budget?.Balance.Spent.ToString() ?? "",
            budget?.Budget.ToString() ?? "",
            budget?.Remaining.ToString() ?? "",
            credits.Count > 0,
            credits,
            r.IsPending,
            r.IsPending && canDecide,
            Outcome(r, amount, zone),
            OutcomeColor(r.Status),
            declineNeedsReason ? "Comment for the rep (needed to decline)" : "Comment for the rep (optional)",
            !string.IsNullOrEmpty(r.Comment),
            r.Comment ?? "",
            ZonedTime.DayAndTime(r.CreatedAt, zone),
            "Expires " + ZonedTime.WeekdayAndTime(r.ExpiresAt, zone),
            refreshUserIds,
            r.IsPending && canDecide && passUpTo is { Count: > 0 },
            passUpTo is { Count: > 0 } ? "Pass up to " + string.Join(" or ", passUpTo) : "",
            r.PassedUpByName is { } by && r.PassedUpAt is { } passedAt
                ? $"Passed up by {by} at {ZonedTime.Time(passedAt, zone)}; now with {string.Join(" or ", approverNames.Select(FirstName))}." : "");
        return new CardReply("approval-request", card, $"{r.RequesterName} asks to credit {amount} to {r.Customer}: {words}");
    }

    /// <summary>The manager-facing reason fixed when the request was made; older rows have only the rule's label.</summary>
    private static string RuleWords(ApprovalRequest r) => r.RuleWords ?? CreditReplies.RuleLabel(r.Rule).ToLowerInvariant();

    public static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;

    public static string OutcomeColor(ApprovalStatus status) =>
        status switch { ApprovalStatus.Approved => "Good", ApprovalStatus.Declined => "Attention", ApprovalStatus.Expired or ApprovalStatus.Withdrawn => "Warning", _ => "Default" };

    /// <summary>"Approved by Megan Bowen at 10:42 AM America/New_York — $120.00 credited to ACME-1042".</summary>
    public static string Outcome(ApprovalRequest r, Money amount, TimeZoneInfo zone)
    {
        var at = r.DecidedAt is { } d ? ZonedTime.Time(d, zone) : "";
        return r.Status switch
        {
            ApprovalStatus.Approved => $"Approved by {r.DecidedByName} at {at} — {amount} credited to {r.Customer}",
            ApprovalStatus.Declined => $"Declined by {r.DecidedByName} at {at}",
            ApprovalStatus.Expired => "Expired — nobody decided in time; nothing was credited",
            ApprovalStatus.Withdrawn => $"Withdrawn by {r.DecidedByName} at {at} — nothing to decide; nothing was credited",
            _ => "Waiting for a decision",
        };
    }
}
