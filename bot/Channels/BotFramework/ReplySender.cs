using EmpowerBot.Conversation;
using EmpowerBot.Hosting;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Delivers a turn's replies to the Bot Connector, or renders them for an expectReplies response.</summary>
public sealed class ReplySender(ActivityRenderer renderer, ConnectorClient connector, LateReplies late, SentMessages sent, ILogger<ReplySender> log)
{
    public List<Activity> Render(TurnResult result, ConversationReference to, string? replyToId) =>
        result.Replies.Select(r => renderer.ToActivity(r, to, replyToId)).ToList();

    public object InvokeBody(CardActionResult result) => renderer.InvokeBody(result);

    /// <summary>
    /// Posts each reply in order. The outcome of a card that writes replaces the card's own message (an Action.Submit
    /// names it as replyToId); if the connector will not update it, the outcome is posted instead, never lost.
    /// When the connector cannot take a reply (down after the resilience pipeline's retries, circuit open, total timeout
    /// spent), that reply and the ones after it go to the outbox and reach the conversation once it is back: the turn's
    /// effects are committed, so its answer must arrive.
    /// </summary>
    public async Task SendAsync(TurnResult result, ConversationReference to, string? replyToId, string? cardMessageId, CancellationToken ct)
    {
        var replies = result.Replies.ToList();
        if (result.ReplacesCard && !string.IsNullOrEmpty(cardMessageId) && replies.Count > 0
            && await UpdateAsync(renderer.ToActivity(replies[0], to, null), cardMessageId, to, ct))
        {
            replies.RemoveAt(0);
        }
        for (var i = 0; i < replies.Count; i++)
        {
            var activity = renderer.ToActivity(replies[i], to, replyToId);
            try
            {
                var id = string.IsNullOrEmpty(activity.ReplyToId)
                    ? await connector.SendToConversationAsync(activity, ct)
                    : await connector.ReplyToActivityAsync(activity, ct);
                await sent.OnReplySentAsync(replies[i], to, id, ct);
            }
            catch (Exception e) when (OutboundFailure.Is(e))
            {
                log.LogWarning(e, "Could not deliver a reply in conversation {Conversation} on {Channel}; it goes through the outbox",
                    to.ConversationId, to.ChannelId);
                await late.QueueAsync(to, replyToId, replies.Skip(i), ct);
                return;
            }
        }
    }

    private async Task<bool> UpdateAsync(Activity outcome, string cardMessageId, ConversationReference to, CancellationToken ct)
    {
        outcome.Id = cardMessageId;
        try
        {
            await connector.UpdateActivityAsync(outcome, cardMessageId, ct);
            return true;
        }
        catch (Exception e) when (OutboundFailure.Is(e))
        {
            log.LogWarning(e, "Could not replace card {Activity} in conversation {Conversation}; posting its outcome instead", cardMessageId, to.ConversationId);
            return false;
        }
    }
}
