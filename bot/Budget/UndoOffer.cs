using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>View model of cards/credit-undo.json: the rep's credits still within the undo window, each with its Undo button.</summary>
public sealed record UndoOfferCard(string Title, string Note, IReadOnlyList<UndoOfferLine> Credits, bool HasMore, string More);

/// <param name="Op">The same key as the receipt's Undo button (the credit's reference): either button undoes once.</param>
public sealed record UndoOfferLine(string Reference, string Amount, string Customer, string Reason, string Given, string UndoUntil, string Op);

/// <summary>
/// "undo" with no reference: offers the rep's latest credits that can still be undone, each with an Undo button, and
/// undoes nothing itself. A rep who typed "undo" may have meant any of them; only a click (or "undo C-7F3K") undoes.
/// </summary>
public sealed class UndoOffer(Ledger ledger, TimeProvider clock)
{
    public const int Listed = 3;

    public async Task<Reply> ForAsync(Person person, Team team, CancellationToken ct)
    {
        var window = team.Policy.UndoWindow;
        if (window <= TimeSpan.Zero) return Reply.Say("Your team's policy doesn't allow undoing credits. Ask your manager if one must be reversed.");
        var now = clock.GetUtcNow();
        var current = Period.Containing(now, team.TimeZone);
        var credits = (await ledger.GetStatusAsync(person, team, current, ct)).Credits.ToList();
        // A credit given just before midnight on the last day can still be undone just after: then last month counts too.
        if (Period.Containing(now - window, team.TimeZone).Key != current.Key)
        {
            credits.AddRange((await ledger.GetStatusAsync(person, team, current.Previous(), ct)).Credits);
        }
        var zone = person.ReadingZone;
        var undoable = credits.Where(c => CreditUndo.CanUndo(c, now, window)).OrderByDescending(c => c.CreatedAt).ToList();
        if (undoable.Count == 0) return Reply.Say(NothingToUndo(credits, window, zone));

        var lines = undoable.Take(Listed).Select(c => new UndoOfferLine(c.Ref, c.Amount.ToString(), c.Customer, c.Reason,
            ZonedTime.Time(c.CreatedAt, zone), ZonedTime.Time(c.CreatedAt + window, zone), c.Ref)).ToList();
        var others = undoable.Count - lines.Count;
        var card = new UndoOfferCard(
            undoable.Count == 1 ? "Undo this credit?" : $"You can still undo {undoable.Count} credits",
            "Nothing is undone until you click Undo.",
            lines,
            others > 0,
            others == 1 ? "1 more can still be undone: type **history** to see it." : $"{others} more can still be undone: type **history** to see them.");
        var latest = lines[0];
        var summary = $"Your latest credit that can still be undone is {latest.Reference}: {latest.Amount} to {latest.Customer} ({latest.Reason.ToLowerInvariant()}), "
            + $"given at {latest.Given}; undo it until {latest.UndoUntil}."
            + (undoable.Count > 1 ? $" {undoable.Count - 1} other{(undoable.Count == 2 ? "" : "s")} can still be undone too." : "");
        return Reply.Show("credit-undo", card, summary);
    }

    private static string NothingToUndo(IReadOnlyList<Credit> credits, TimeSpan window, TimeZoneInfo zone)
    {
        var rule = $"credits can be undone for {Minutes(window)} after they are given";
        var last = credits.Where(c => c is { Status: CreditStatus.Applied, Exception: false }).MaxBy(c => c.CreatedAt);
        return last is null
            ? $"There is nothing to undo: {rule}, and you have no credit to undo this month."
            : $"There is nothing to undo: {rule}; your last one, {last.Ref} ({last.Amount} to {last.Customer}), was applied at {ZonedTime.DayAndTime(last.CreatedAt, zone)}. Ask your manager if it must be reversed.";
    }

    public static string Minutes(TimeSpan window) => window.TotalMinutes == 1 ? "1 minute" : $"{window.TotalMinutes:0.#} minutes";
}
