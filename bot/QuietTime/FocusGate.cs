using EmpowerBot.Conversation;

namespace EmpowerBot.QuietTime;

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
