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
