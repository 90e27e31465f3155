using EmpowerBot.Outbox;

namespace EmpowerBot.QuietTime;

/// <summary>A snoozed offer coming back, or a waiting person's turn when a slot may have freed.</summary>
public sealed class RecheckHandler(Prompter prompter) : IOutboxHandler
{
    public string Kind => Prompter.RecheckKind;

    public Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct) =>
        prompter.RecheckAsync(message.ReadPayload<Recheck>(), ct);
}
