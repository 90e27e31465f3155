using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.QuietTime;

/// <summary>A break's end, due when it ends: frees the coverage slot, ends the break and says welcome back (once).</summary>
public sealed class BreakEndHandler(Breaks breaks) : IOutboxHandler
{
    public string Kind => Breaks.EndKind;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        await breaks.EndAsync(message.ReadPayload<BreakEnd>(), early: false, ct);
        return DeliveryOutcome.Delivered;
    }
}

/// <summary>A snoozed offer coming back, or a waiting person's turn when a slot may have freed.</summary>
public sealed class RecheckHandler(Prompter prompter) : IOutboxHandler
{
    public string Kind => Prompter.RecheckKind;

    public Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct) =>
        prompter.RecheckAsync(message.ReadPayload<Recheck>(), ct);
}

/// <summary>
/// Focus mode: the bot's own non-urgent messages to someone on a break wait until the break is over (and a moment
/// more, so "welcome back" comes first). Urgent ones, such as approval requests, go through. A held message looks again
/// every <see cref="Recheck"/>, so after a break ended early ("back") it arrives within that time, not at the planned end.
/// </summary>
public sealed class FocusGate(PersonStates states, TimeProvider clock) : IDeliveryGate
{
    public static readonly TimeSpan AfterWelcome = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    public async Task<TimeSpan?> HoldUntilAsync(Notification notification, CancellationToken ct)
    {
        if (notification.Urgent) return null;
        var state = await states.ReadAsync(notification.TenantId, notification.PersonKey, ct);
        var now = clock.GetUtcNow();
        // Until a moment after the planned end, while the break is on record: its welcome-back goes first.
        if (state.BreakId is null || state.BreakUntil is not { } planned || planned + AfterWelcome <= now) return null;
        var wait = planned + AfterWelcome - now;
        return wait < Recheck ? wait : Recheck;
    }
}

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
