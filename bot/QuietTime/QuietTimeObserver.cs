using EmpowerBot.Conversation;

namespace EmpowerBot.QuietTime;

/// <summary>The bot's own turns are activity: a rep who keeps coming back to the bot is working.</summary>
public sealed class QuietTimeObserver(Prompter prompter) : ITurnObserver
{
    public Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct)
    {
        var turn = context.Turn;
        // Talking to the bot about breaks is not the kind of work that calls for one.
        if (turn.Action?.Verb.StartsWith("break.", StringComparison.OrdinalIgnoreCase) == true
            || BreakCommand.IsAboutBreaks(CommandText.Normalize(turn.Text ?? turn.Action?.Verb)))
        {
            return Task.CompletedTask;
        }
        return prompter.RecordAsync(context.Person, [SignalKind.Turn], ct);
    }
}
