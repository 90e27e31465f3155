using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>
/// Remembers where each approval card landed (conversation and message id), so that every copy can show the
/// outcome once the request is decided or expires.
/// </summary>
public sealed class ApprovalCardCopies(ApprovalStore approvals, ApprovalCardFactory cards, IEnumerable<IProactiveChannel> channels, ILogger<ApprovalCardCopies> log)
    : ISentMessageObserver
{
    public const string Topic = "approval";
    private const int MaxAttempts = 8;

    string ISentMessageObserver.Topic => Topic;

    public async Task OnSentAsync(SentMessage sent, CancellationToken ct)
    {
        if (sent.ActivityId is null || sent.Notification.Correlation is not { } id) return;
        var c = sent.Conversation;
        var copy = new CardCopy(sent.Notification.PersonKey, c.ChannelId, c.ServiceUrl, c.ConversationId, c.ConversationType, c.TenantId, c.UserId, c.BotId, sent.ActivityId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var request = await approvals.GetAsync(sent.Notification.TenantId, id, ct);
            if (request is null) return;
            if (request.CardCopies.Any(k => k.ActivityId == copy.ActivityId && k.ConversationId == copy.ConversationId)) return;
            var updated = request with { Cards = [.. request.CardCopies, copy] };
            if (!await approvals.TryReplaceAsync(updated, ct)) continue;
            // Decided while this card was on its way: show the outcome on it straight away.
            if (!updated.IsPending) await UpdateAsync(updated, copy, ct);
            return;
        }
        log.LogWarning("Could not record a copy of approval card {Approval}", id);
    }

    /// <summary>Replaces one copy of the card with the request as it now stands.</summary>
    public async Task UpdateAsync(ApprovalRequest request, CardCopy copy, CancellationToken ct)
    {
        var to = new ConversationReference(copy.ChannelId, copy.ServiceUrl, copy.ConversationId, copy.ConversationType, copy.TenantId,
            copy.UserId, null, null, copy.BotId, null);
        var channel = channels.FirstOrDefault(ch => ch.Handles(copy.ChannelId));
        if (channel is null) return;
        var card = await cards.ForAsync(request, copy.PersonKey, ct);
        await channel.UpdateAsync(to, copy.ActivityId, new Reply(null, card), ct);
    }
}
