using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Outbox;

namespace EmpowerBot.Conversation;

/// <summary>The replies to a turn that could not be delivered while the turn was answered, kept until they are.</summary>
/// <param name="To">The conversation the turn came from (a 1:1 chat, a group chat or a channel).</param>
/// <param name="Messages">In the order the turn gave them.</param>
public sealed record LateReply(ConversationReference To, IReadOnlyList<Notification> Messages);

/// <summary>
/// Queues a turn's reply in the outbox when the channel could not take it inline (connector down, circuit open, the
/// total timeout spent): the turn's effects are committed, so its answer (a receipt, a refusal) must still reach the
/// person. The dispatcher sends it into the same conversation as soon as the channel is back.
/// </summary>
public sealed class LateReplies(OutboxWriter outbox, TimeProvider clock)
{
    public const string Kind = "reply.late";

    /// <param name="activityId">The channel's id of the activity being answered: it makes the queued message's id, so a
    /// redelivered activity whose replies fail again queues nothing more.</param>
    /// <param name="replies">The replies not delivered, in order; they are sent in that order, in one outbox message.</param>
    public Task QueueAsync(ConversationReference to, string? activityId, IEnumerable<Reply> replies, CancellationToken ct)
    {
        var messages = replies.Select(r => Notification.Of(to.TenantId ?? "", to.UserId, r)).ToList();
        var key = activityId is { Length: > 0 } ? $"{to.ChannelId}|{to.ConversationId}|{activityId}" : Guid.NewGuid().ToString("N");
        var id = "reply-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return outbox.EnqueueAsync(OutboxMessage.Create(id, Kind, new LateReply(to, messages), clock.GetUtcNow()), ct);
    }
}
