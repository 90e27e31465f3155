using EmpowerBot.Outbox;

namespace EmpowerBot.Conversation;

/// <summary>
/// Delivers queued late replies into the conversation they answer. Not held by quiet time: it answers something the
/// person has just written. A failed send propagates, so the dispatcher retries with its backoff (the replies before
/// it may then arrive twice: at least once, never lost).
/// </summary>
public sealed class LateReplyDelivery(IEnumerable<IProactiveChannel> channels, ILogger<LateReplyDelivery> log) : IOutboxHandler
{
    private readonly IReadOnlyList<IProactiveChannel> channels = channels.ToList();

    public string Kind => LateReplies.Kind;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var reply = message.ReadPayload<LateReply>();
        var channel = channels.FirstOrDefault(c => c.Handles(reply.To.ChannelId));
        if (channel is null) return DeliveryOutcome.Failed($"No channel adapter for '{reply.To.ChannelId}'.");
        foreach (var late in reply.Messages)
        {
            await channel.SendAsync(reply.To, late.ToReply(), ct);
        }
        log.LogInformation("Delivered {Count} late replies in conversation {Conversation} on {Channel} (attempt {Attempt})",
            reply.Messages.Count, reply.To.ConversationId, reply.To.ChannelId, attempt);
        return DeliveryOutcome.Delivered;
    }
}
