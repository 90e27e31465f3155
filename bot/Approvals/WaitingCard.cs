using System.Globalization;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>
/// View model of cards/approval-waiting.json: the rep's own view of a request — what was asked, for whom, why it needs
/// a manager — with Add a note (while the card has none of the rep's words), Withdraw, and Nudge once it is due.
/// </summary>
public sealed record WaitingCard(
    string ApprovalId,
    string Headline,
    string Amount,
    string Customer,
    string Reason,
    string CreditRef,
    string RuleSentence,
    bool HasNote,
    string Note,
    bool CanAddNote,
    string NoteLabel,
    string Requested,
    string Expires,
    bool IsPending,
    bool CanNudge,
    string NudgeTitle,
    bool HasNudgeHint,
    string NudgeHint,
    string Outcome,
    string OutcomeColor);

public static class WaitingCards
{
    /// <param name="deciders">The approvers' first names, "Megan" or "Megan or Sam".</param>
    /// <param name="waitingFor">Their full names, for the summary: "Megan Bowen".</param>
    /// <param name="nudgeFrom">When the rep may next nudge the approvers.</param>
    public static CardReply Build(ApprovalRequest r, string deciders, string waitingFor, TimeZoneInfo zone, DateTimeOffset now, DateTimeOffset nudgeFrom)
    {
        var amount = new Money(r.AmountMinor, Currency.Of(r.Currency));
        var headline = $"This needs {deciders}'s approval ({CreditReplies.RuleInShort(r.Rule)}): {r.RuleSentence} I'll let you know. Ref {r.CreditRef}.";
        var canNudge = r.IsPending && now >= nudgeFrom;
        var card = new WaitingCard(
            r.Id,
            headline,
            amount.ToString(),
            r.Customer,
            r.Reason,
            r.CreditRef,
            r.RuleSentence,
            !string.IsNullOrEmpty(r.Note),
            r.Note ?? "",
            r.IsPending && string.IsNullOrEmpty(r.Note),
            $"Add a note for {deciders}",
            ZonedTime.DayAndTime(r.CreatedAt, zone),
            "Expires " + ZonedTime.WeekdayAndTime(r.ExpiresAt, zone),
            r.IsPending,
            canNudge,
            $"Nudge {deciders}",
            r.IsPending && !canNudge,
            $"You can nudge {deciders} from {ZonedTime.Time(nudgeFrom, zone)}.",
            ApprovalCards.Outcome(r, amount, zone),
            ApprovalCards.OutcomeColor(r.Status));
        var summary = r.IsPending
            ? $"{headline} ({amount} to {r.Customer}, waiting for {waitingFor}.)"
            : $"{amount} to {r.Customer} (ref {r.CreditRef}): {card.Outcome}";
        return new CardReply("approval-waiting", card, summary);
    }
}
