using System.Text.Json;
using EmpowerBot.Storage;

namespace EmpowerBot.Conversation;

/// <summary>
/// Runs one turn: identifies the person, then dispatches on what happened — an install, a message, a card action —
/// to the feature that owns it. The only place that knows every feature.
/// </summary>
public sealed class TurnHandler(
    PeopleDirectory people,
    Recognizer recognizer,
    IEnumerable<ICardActionHandler> actions,
    Welcome welcome,
    IEnumerable<ITurnObserver> observers,
    ILogger<TurnHandler> log)
{
    private readonly IReadOnlyList<ICommand> commands = recognizer.Commands;
    private readonly IReadOnlyList<ITurnObserver> observers = observers.ToList();
    private readonly Dictionary<string, ICardActionHandler> actions = actions.ToDictionary(a => a.Verb, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ICommand> Commands => commands;

    public const string CouldNotSave = "I couldn't save that just now, so nothing was applied or changed. Please try again in a moment.";

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken ct)
    {
        try
        {
            var context = new TurnContext(turn, await people.IdentifyAsync(turn, ct));
            var result = turn.Kind switch
            {
                TurnKind.Installed => TurnResult.Of(await welcome.ForAsync(context.Person, ct)),
                TurnKind.CardAction => await ActAsync(context, turn.Action!, ct),
                _ => await RouteAsync(context, turn.Text, ct),
            };
            if (turn is { Kind: TurnKind.Message, CardKey: not null } && result.Replies.Count > 0)
            {
                result = result with { ReplacesCard = true };
            }
            if (turn.Kind != TurnKind.Installed)
            {
                await ObserveAsync(context, result);
            }
            return result;
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageConflictException)
        {
            // Every write is one atomic batch: a failed one left nothing behind, and the person can simply retry.
            log.LogError(e, "Storage failed during a {Kind} turn of {Person}", turn.Kind, turn.PersonKey);
            return turn.Kind == TurnKind.CardAction
                ? new TurnResult([], CardActionResult.Error(503, CouldNotSave))
                : TurnResult.Of(Reply.Say(CouldNotSave));
        }
    }

    private async Task<TurnResult> RouteAsync(TurnContext context, string? text, CancellationToken ct)
    {
        if (text is { Length: > CommandText.MaxLength })
        {
            return TurnResult.Of(Reply.Say($"That message is too long for me ({text.Length:N0} characters; I read up to {CommandText.MaxLength:N0}). Nothing was done."));
        }
        var understood = recognizer.Understand(text);
        if (understood.Normalized.Length == 0)
        {
            return TurnResult.Nothing;
        }
        if (understood.Command is null)
        {
            log.LogInformation("Unrecognised message from {Person}", context.Person.Key);
            return TurnResult.Of(Reply.Say(HelpCommand.NotUnderstoodFor(understood.Normalized, commands, context.Person.IsManager)));
        }
        // A rephrased message ("ACME-31 gets $10 …" as "credit ACME-31 $10 …") reaches the command in its own words.
        var turn = understood.Text is { } rephrased ? context.Turn with { Text = rephrased } : context.Turn;
        return await understood.Command.HandleAsync(context with { Turn = turn }, ct);
    }

    private async Task<TurnResult> ActAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        if (actions.TryGetValue(action.Verb, out var handler))
        {
            return await handler.HandleAsync(context, action, ct);
        }
        // A button whose verb is a chat command ("budget", "help") answers like the typed command, in place of the card.
        var command = commands.FirstOrDefault(c => c.Recognizes(CommandText.Normalize(action.Verb)));
        if (command is not null)
        {
            var result = await command.HandleAsync(context, ct);
            var card = result.Replies.Select(r => r.Card).FirstOrDefault(c => c is not null);
            return card is null
                ? result with { ActionResult = CardActionResult.Notice(result.Replies.FirstOrDefault()?.Text ?? "Done.") }
                : new TurnResult(result.Replies.Where(r => r.Card != card).ToList(), CardActionResult.Updated(card));
        }
        return new TurnResult([], CardActionResult.Error(400, $"I don't know the action '{TextCut.Shorten(action.Verb, 40)}'."));
    }

    /// <summary>
    /// Tells the observers what the turn did. Not cancelled with the request: the turn happened (a credit may be in the
    /// ledger already), so a channel that stops waiting now must not take it out of the rep's quiet-time record or the
    /// digests. Each observer's storage calls keep their own time limits.
    /// </summary>
    private async Task ObserveAsync(TurnContext context, TurnResult result)
    {
        if (result.Unobserved) return;
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnTurnAsync(context, result, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The person's turn is done and answered; what an observer makes of it must never undo that.
                log.LogWarning(e, "Turn observer {Observer} failed on a {Kind} turn", observer.GetType().Name, context.Turn.Kind);
            }
        }
    }

}

/// <summary>Reads a command out of an Action.Submit payload ({"command": "budget", …}), as cards in cards/ send them.</summary>
public static class SubmittedCommand
{
    public static string? From(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;

    /// <summary>One input of a submitted card (or a card action's data) as text: a string, or a number as written; else null.</summary>
    public static string? Field(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
}
