using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>
/// "undo C-7F3K": voids one of the rep's own credits within the team's undo window and restores the budget.
/// "undo" alone (however it was said: "oops, undo that") offers the credits that can still be undone, with buttons.
/// </summary>
public sealed class UndoCommand(CreditUndo undo, UndoOffer offer, CreditHandoff handoff, TimeProvider clock) : ICommand
{
    public CommandInfo Info { get; } = new("undo", "undo C-7F3K", "Undo one of your credits within a few minutes of giving it", "Credits", InMenu: false);

    public bool Recognizes(string text) => text == "undo" || text.StartsWith("undo ", StringComparison.Ordinal);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var (turn, person) = context;
        if (person.Team is not { } team)
        {
            return TurnResult.Of(Reply.Say("You are not on a team with a discretionary budget, so there is nothing to undo."));
        }
        var words = CommandText.Normalize(turn.Text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1)
        {
            return TurnResult.Of(await offer.ForAsync(person, team, ct));
        }
        if (words.Length != 2)
        {
            return TurnResult.Of(Reply.Say("Tell me which credit to undo, by its reference: for example **undo C-7F3K**. Type **history** to see your references."));
        }
        var creditRef = words[1].ToUpperInvariant();
        if (!creditRef.StartsWith("C-", StringComparison.Ordinal)) creditRef = "C-" + creditRef;
        if (creditRef.Length != 6 || !creditRef[2..].All(char.IsAsciiLetterOrDigit))
        {
            return TurnResult.Of(Reply.Say($"'{TextCut.Shorten(words[1], 20)}' is not a credit reference; they look like C-7F3K. Type **history** to see yours."));
        }
        var now = clock.GetUtcNow();
        var partition = LedgerRows.Partition(person.TenantId, person.Key, Period.Containing(now, team.TimeZone));
        await handoff.IntendAsync(new CreditHandoffIntent(partition, team.Currency.Code, CreditHandoff.Voided, null, creditRef), ct);
        var result = await undo.UndoAsync(person, team, creditRef, team.Policy.UndoWindow, ct);
        return TurnResult.Of(result.Outcome switch
        {
            UndoOutcome.Undone => CreditReplies.Undone(result.Credit!, result.Remaining!.Value),
            UndoOutcome.AlreadyUndone => CreditReplies.AlreadyUndone(result.Credit!, result.Remaining!.Value),
            UndoOutcome.NotApplied => Reply.Say($"{creditRef} was not applied from your budget ({HistoryCommand.StatusLabel(result.Credit!).ToLowerInvariant()}), so there is nothing to undo."),
            UndoOutcome.TooLate => Reply.Say($"{creditRef} can no longer be undone: credits can be undone for {UndoOffer.Minutes(team.Policy.UndoWindow)} after they are given. Ask your manager if it must be reversed."),
            _ => Reply.Say($"I can't find a credit {creditRef} of yours this month or last. Type **history** to see your references."),
        });
    }
}
